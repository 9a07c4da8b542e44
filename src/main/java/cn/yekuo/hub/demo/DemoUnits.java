package cn.yekuo.hub.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.mailtransport.MailDirectory;

/**
 * The units of the demo: each reads its mailbox over IMAP (login = password = address, as on the embedded mail
 * server), and answers every new hand-off a few seconds later by an SMTP reply that keeps the token, as a person with
 * a mail client would: schemes approved, design done and approved, construction completed, inspections and
 * acceptance passed, energization done with a meter number. The first completion acceptance of each case fails
 * once, so the dashboard shows a rectification loop too. The moments are Camel's ({@link DemoRoutes}: a timer reads
 * the mailboxes, a delayer holds each answer).
 */
@Component
@Profile("demo")
public class DemoUnits {

    private static final Logger log = LoggerFactory.getLogger(DemoUnits.class);
    private static final List<Unit> UNITS = List.of(Unit.PRODUCTION, Unit.MARKETING, Unit.CONSTRUCTION, Unit.CUSTOMER_CENTER);
    private static final DateTimeFormatter ENERGIZED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final HubProperties.Mail mail;
    private final MailDirectory directory;
    private final Clock clock;
    private final java.time.ZoneId zone;
    private final Duration delay;
    private final Session session;
    private final java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public DemoUnits(HubProperties properties, MailDirectory directory, Clock clock) {
        this.mail = properties.mail();
        this.directory = directory;
        this.clock = clock;
        this.zone = properties.businessZone();
        this.delay = properties.demo().replyDelay();
        Properties props = new Properties();
        props.put("mail.smtp.host", mail.smtpHost());
        props.put("mail.smtp.port", String.valueOf(mail.smtpPort()));
        props.put("mail.smtp.auth", "true");
        props.put("mail.imap.host", mail.imapHost());
        props.put("mail.imap.port", String.valueOf(mail.imapPort()));
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.imap.connectiontimeout", "5000");
        this.session = Session.getInstance(props);
    }

    /** How often route {@code demo-units-read} reads the mailboxes. */
    Duration readEvery() {
        return Duration.ofMillis(Math.max(200, delay.toMillis() / 2));
    }

    /** Route {@code demo-units-read}, every {@link #readEvery()}: the answers to send a moment later. */
    public List<Reply> readMailboxes() {
        List<Reply> replies = new java.util.ArrayList<>();
        for (Unit unit : UNITS) {
            try {
                readMailbox(directory.addressOf(unit), replies);
            } catch (Exception e) {
                log.warn("Demo unit {} could not read its mailbox: {}", unit.code(), e.toString());
            }
        }
        return replies;
    }

    /** Each unseen hand-off is marked seen and its answer added once. */
    private void readMailbox(String address, List<Reply> replies) throws Exception {
        try (Store store = session.getStore("imap")) {
            store.connect(mail.imapHost(), mail.imapPort(), address, address);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            try {
                for (Message m : inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))) {
                    MimeMessage handoff = new MimeMessage((MimeMessage) m);
                    m.setFlag(Flags.Flag.SEEN, true);
                    String subject = handoff.getSubject();
                    Optional<TaskKind> kind = kindOf(subject);
                    if (subject == null || !subject.startsWith("[YK-") || kind.isEmpty()) {
                        continue; // deadline notices and the like: a person would read them, the demo does not answer
                    }
                    String body = answer(kind.get(), subject);
                    log.info("Demo unit {}: will answer \"{}\" with {}", address, subject, body.lines().findFirst().orElse(""));
                    replies.add(new Reply(address, handoff, body));
                }
            } finally {
                inbox.close(false);
            }
        }
    }

    private String answer(TaskKind kind, String subject) {
        String caseNo = subject.substring(1, subject.indexOf('/'));
        return switch (kind) {
            case SCHEME_TECHNICAL -> "结论：同意\n电源点：110kV东郊变 10kV 912东园线\n接入点：912东园线 #23杆 T接\n"
                    + "产权分界点：912东园线 #23杆 T接点刀闸下桩头\n核定容量：2050kVA\n"
                    + "变压器：SCB13-800/10×1×800kVA\n变压器：SCB13-625/10×2×625kVA\n接入方式：电缆T接\n"
                    + "工程项目：新建 10kV电缆线路 YJV22-8.7/15-3×70 0.4km\n工程项目：改造 912东园线#23杆 T接刀闸更换\n"
                    + "说明：需新建 10kV 电缆 0.4km。\n";
            // two transformer lines and an asset transfer with book values: every document content is answered
            case SCHEME_BUSINESS -> "结论：通过\n计量方式：高供高计\n电价类别：大工业用电\n资产移交：是\n业务费用：12800.00\n"
                    + "用电性质：工业用电（新材料制造）\n计量点：10kV进线计量柜\n电流互感器变比：150/5\n"
                    + "电压互感器变比：10000/100\n准确度等级：有功0.5S级、无功2级\n功率因数：0.90\n"
                    + "移交资产：10kV环网柜|HXGN15-12|1台|86000.00\n移交资产：10kV电缆|YJV22-8.7/15-3×70|320米|54000.00\n";
            case DESIGN -> "结论：完成\n说明：设计已按供电方案完成\n";
            case DESIGN_REVIEW, MID_INSPECTION -> "结论：同意\n";
            case CONSTRUCTION -> "结论：竣工\n";
            case RECTIFICATION -> "结论：完成\n说明：缺陷已整改\n";
            case COMPLETION_ACCEPTANCE -> failedOnce.add(caseNo) ? "结论：不合格\n缺陷：接地电阻超标；电缆沟未封堵\n" : "结论：通过\n";
            case COMPLETION_ACCEPTANCE_MARKETING -> "结论：通过\n";
            case ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION -> "结论：完成\n";
            case ENERGIZATION -> "结论：完成\n电能表号：DEMO-" + caseNo.substring(caseNo.length() - 6) + "\n送电时间："
                    + ZonedDateTime.now(clock.withZone(zone)).format(ENERGIZED_AT) + "\n";
        };
    }

    private static Optional<TaskKind> kindOf(String subject) {
        if (subject == null) {
            return Optional.empty();
        }
        for (TaskKind k : TaskKind.values()) {
            if (subject.contains(k.titleZh())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** A unit's answer to a hand-off, sent a moment after it was read. */
    public record Reply(String unit, MimeMessage handoff, String body) {
    }

    /** Route {@code demo-unit-replies}, after its delay. */
    public void reply(Reply answer) {
        String unit = answer.unit();
        MimeMessage handoff = answer.handoff();
        String body = answer.body();
        try {
            MimeMessage reply = (MimeMessage) handoff.reply(false);
            reply.setFrom(new InternetAddress(unit));
            reply.setRecipient(Message.RecipientType.TO, new InternetAddress(directory.hubAddress()));
            if (body.contains("设计已按供电方案完成")) {
                // a finished design comes with its drawings
                jakarta.mail.internet.MimeMultipart mixed = new jakarta.mail.internet.MimeMultipart("mixed");
                jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
                text.setText(body, StandardCharsets.UTF_8.name());
                mixed.addBodyPart(text);
                jakarta.mail.internet.MimeBodyPart drawing = new jakarta.mail.internet.MimeBodyPart();
                drawing.setDataHandler(new jakarta.activation.DataHandler(
                        new jakarta.mail.util.ByteArrayDataSource(drawing(handoff.getSubject()), "application/pdf")));
                drawing.setFileName("design-drawing.pdf");
                drawing.setDisposition(jakarta.mail.Part.ATTACHMENT);
                mixed.addBodyPart(drawing);
                reply.setContent(mixed);
            } else {
                reply.setText(body, StandardCharsets.UTF_8.name());
            }
            reply.saveChanges();
            reply.setHeader("Message-ID", "<" + UUID.randomUUID() + "@demo.yekuo.local>");
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(mail.smtpHost(), mail.smtpPort(), unit, unit);
                transport.sendMessage(reply, reply.getAllRecipients());
            }
        } catch (Exception e) {
            log.warn("Demo unit {} could not reply: {}", unit, e.toString());
        }
    }

    /** A one-page PDF standing for the design drawings. */
    static byte[] drawing(String subject) throws java.io.IOException {
        try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
            org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
            doc.addPage(page);
            try (org.apache.pdfbox.pdmodel.PDPageContentStream content = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
                        org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 14);
                content.newLineAtOffset(72, 720);
                content.showText("Design drawings (demo) " + subject.substring(0, subject.indexOf(']') + 1));
                content.endText();
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }
}
