package cn.yekuo.hub.documents;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import java.util.UUID;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;

/**
 * The mail that carries a document to the customer (docs/contract.md §3), built whole at transition time so that the
 * outbox holds exactly what will be sent: subject {@code 【业扩报装】<title> <caseNo>}, a short Chinese body, the
 * PDF attached as {@code <caseNo>-<title>.pdf} with an RFC 2231 file name.
 */
@Component("customerMails")
public class CustomerMails {

    private final Session session;
    private final HubProperties hub;

    public CustomerMails(HubProperties hub) {
        this.hub = hub;
        Properties p = new Properties();
        // Jakarta Mail 2 defaults, stated: non-ASCII parameters (the file name) as RFC 2231, not RFC 2047 words
        p.setProperty("mail.mime.encodeparameters", "true");
        p.setProperty("mail.mime.encodefilename", "false");
        p.setProperty("mail.mime.charset", "UTF-8");
        this.session = Session.getInstance(p);
    }

    /** {@code <caseNo>-<document title>.pdf}. */
    public static String fileName(String caseNo, DocumentType type) {
        return caseNo + "-" + type.title() + ".pdf";
    }

    public static String subject(String caseNo, DocumentType type) {
        return "【业扩报装】" + type.title() + " " + caseNo;
    }

    /** The complete RFC 822 message (7-bit: every part is encoded), ready for the outbox. */
    public String compose(String to, String customerName, String caseNo, DocumentType type, String documentNo,
                          int version, byte[] pdf) {
        try {
            MimeMessage m = new MimeMessage(session);
            HubProperties.Documents d = hub.documents();
            m.setFrom(new InternetAddress(hub.mail().hubAddress(), d.companyName(), "UTF-8"));
            m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to, true));
            if (d.representative().email() != null && !d.representative().email().isBlank()) {
                m.setReplyTo(InternetAddress.parse(d.representative().email(), true));
            }
            m.setSubject(subject(caseNo, type), "UTF-8");
            m.setSentDate(new Date());

            MimeBodyPart text = new MimeBodyPart();
            text.setText(body(customerName, caseNo, type, documentNo, version), "UTF-8", "plain");
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
            attachment.setFileName(fileName(caseNo, type));
            attachment.setDisposition(MimeBodyPart.ATTACHMENT);
            attachment.setHeader("Content-Transfer-Encoding", "base64");
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text);
            mixed.addBodyPart(attachment);
            m.setContent(mixed);
            m.saveChanges();
            m.setHeader("Message-ID", "<" + UUID.randomUUID() + "." + caseNo + "@" + domain(hub.mail().hubAddress()) + ">");
            ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length * 4 / 3 + 4096);
            m.writeTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot compose the " + type + " mail of case " + caseNo, e);
        }
    }

    private String body(String customerName, String caseNo, DocumentType type, String documentNo, int version) {
        HubProperties.Documents d = hub.documents();
        HubProperties.Documents.Representative rep = d.representative();
        StringBuilder b = new StringBuilder();
        b.append(customerName == null || customerName.isBlank() ? "尊敬的客户" : customerName).append("：\r\n\r\n");
        b.append("您好！您的用电业务（业扩报装编号 ").append(caseNo).append("）的《").append(type.title())
                .append("》（文书编号 ").append(documentNo).append(version > 1 ? "，第" + version + "版，更正前的版本作废" : "")
                .append("）见附件，请查阅并妥善保存。\r\n\r\n");
        b.append("如有疑问，请联系您的客户代表").append(rep.name());
        if (rep.phone() != null && !rep.phone().isBlank()) {
            b.append("，电话 ").append(rep.phone());
        }
        if (rep.email() != null && !rep.email().isBlank()) {
            b.append("，邮箱 ").append(rep.email());
        }
        b.append("；或拨打供电服务热线 ").append(d.hotline()).append("。\r\n\r\n");
        b.append(d.companyName()).append("\r\n");
        b.append("（本邮件由系统自动发送，回复将转至您的客户代表。）\r\n");
        return b.toString();
    }

    private static String domain(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 ? "yekuo.local" : address.substring(at + 1);
    }

    /** A parsed stored message that keeps its own Message-ID when the transport saves changes before sending. */
}
