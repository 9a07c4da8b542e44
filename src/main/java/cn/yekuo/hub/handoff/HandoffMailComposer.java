package cn.yekuo.hub.handoff;

import cn.yekuo.hub.mailtransport.MailAttachment;
import cn.yekuo.hub.mailtransport.MailBodies;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.replies.ReplyValidator;
import cn.yekuo.hub.replies.grammar.ReplyGrammar;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.grammar.ReplyResult;
import cn.yekuo.hub.tokens.HandoffToken;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import cn.yekuo.hub.domain.TaskKind;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Writes the hand-off mail of a task: {@code [token] <titleZh> <titleEn> — <customer>} and a body
 * with the case summary, the ask, the due date and a reply template the unit can fill in as it is
 * (its keys are read back by {@link ReplyGrammar}), from the templates {@code mails/handoff.ftl} and
 * {@code handoff.ftlh}. In the HTML alternative every value is escaped: names and addresses come from billing messages
 * and are data, never markup.
 *
 * <p>In a transition only the subject (with the token) is written; the outbox row keeps the {@link Handoff} as the
 * model of its body ({@link #body}), and the mail relay writes the text and HTML when it sends it ({@link #write}).
 */
public final class HandoffMailComposer implements MailBodies {

    /** The {@link cn.yekuo.hub.mailtransport.OutgoingMail.Body} kind of a hand-off. */
    public static final String KIND = "handoff";

    /** What the outbox keeps of a hand-off's body: the facts, and the token and subject written in the transition. */
    public record Body(Handoff handoff, String token, String subject) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    private static final DateTimeFormatter DUE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final HandoffToken tokens;
    private final boolean withHtml;
    private final ZoneId zone;
    private final MailTemplates templates;

    /** @param zone the business time zone the due time is written in */
    public HandoffMailComposer(HandoffToken tokens, ZoneId zone) {
        this(tokens, zone, true);
    }

    public HandoffMailComposer(HandoffToken tokens, ZoneId zone, boolean withHtml) {
        this(tokens, zone, withHtml, new MailTemplates());
    }

    public HandoffMailComposer(HandoffToken tokens, ZoneId zone, boolean withHtml, MailTemplates templates) {
        this.tokens = tokens;
        this.zone = zone;
        this.withHtml = withHtml;
        this.templates = templates;
    }

    public HandoffMail compose(Handoff handoff) {
        return write(body(handoff));
    }

    /** The token and subject of a hand-off with its facts: all a transition writes of the mail. */
    public Body body(Handoff handoff) {
        String token = tokens.tokenFor(handoff.caseNo(), handoff.taskNo());
        TaskKind kind = handoff.kind();
        return new Body(handoff, token, oneLine(token + " " + kind.titleZh() + " " + kind.titleEn() + " — " + handoff.customerName()));
    }

    private HandoffMail write(Body body) {
        Handoff handoff = body.handoff();
        Optional<String> html = withHtml ? Optional.of(html(handoff, body.token(), body.subject())) : Optional.empty();
        return new HandoffMail(body.token(), body.subject(), text(handoff, body.token(), body.subject()), html);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The relay's step: the text and HTML of a hand-off written from the body its outbox row keeps. */
    @Override
    public OutgoingMail write(OutgoingMail mail, com.fasterxml.jackson.databind.JsonNode model) {
        try {
            HandoffMail written = write(JSON.treeToValue(model, Body.class));
            return mail.written(written.text(), written.html().orElse(null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable hand-off body of " + mail.subject(), e);
        }
    }

    /** The hand-off as the outbox keeps it: from the hub to the unit, its documents referenced by id. */
    public static OutgoingMail toOutgoing(HandoffMail mail, String from, String to, OffsetDateTime date,
                                          List<OutgoingMail.Attachment> documents) {
        return new OutgoingMail(from, null, List.of(to), List.of(), mail.subject(), mail.text(), mail.html().orElse(null),
                true, date, documents);
    }

    /** A multipart/alternative mail (text, then HTML) with the documents attached, RFC 2231 names. */
    public MimeMessage toMessage(HandoffMail mail, Session session, InternetAddress from, InternetAddress to,
                                 List<MailAttachment> documents) throws MessagingException {
        OutgoingMail outgoing = toOutgoing(mail, from.getAddress(), to.getAddress(), null, List.of());
        return MailMessages.mime(session, outgoing, documents == null ? List.of() : documents, null);
    }

    private String text(Handoff handoff, String token, String subject) {
        Map<String, String> summary = new LinkedHashMap<>();
        handoff.summary().forEach((key, value) -> summary.put(oneLine(key), oneLine(value)));
        return templates.render("handoff.ftl", model(handoff, token, subject, oneLine(handoff.customerName()), summary));
    }

    /** What both templates show; the text one gets each value on one line, the HTML one escapes them as they are. */
    private Map<String, Object> model(Handoff handoff, String token, String subject, String customer,
                                             Map<String, String> summary) {
        Map<String, Object> model = new HashMap<>();
        model.put("subject", subject);
        model.put("caseNo", handoff.caseNo());
        model.put("taskNo", handoff.taskNo());
        model.put("titleZh", handoff.kind().titleZh());
        model.put("titleEn", handoff.kind().titleEn());
        model.put("customer", customer);
        model.put("summary", summary);
        model.put("ask", List.of(handoff.ask().split("\r\n|\r|\n")));
        model.put("due", dueText(handoff.due()));
        model.put("token", token);
        model.put("template", templateLines(handoff.kind()));
        model.put("hints", hints(handoff.kind()));
        return model;
    }

    /** The template: RESULT with the task's allowed values, its required keys, DEFECTS where asked, NOTE. */
    public static List<String> templateLines(TaskKind kind) {
        List<String> lines = new ArrayList<>();
        var expected = ReplyValidator.expectedResults(kind);
        lines.add(ReplyKey.RESULT.label() + ": "
                + expected.stream().map(ReplyResult::chinese).collect(Collectors.joining(" / "))
                + " (" + expected.stream().map(Enum::name).collect(Collectors.joining(" / ")) + ")");
        for (String field : kind.requiredFields()) {
            lines.add(ReplyKey.valueOf(field).label() + ": ");
        }
        for (String field : kind.optionalFields()) {
            lines.add(ReplyKey.valueOf(field).label() + ": ");
        }
        if (ReplyValidator.DEFECTS_WITH_NEGATIVE_RESULT.contains(kind)) {
            lines.add(ReplyKey.DEFECTS.label() + ": ");
        }
        lines.add(ReplyKey.NOTE.label() + ": ");
        return lines;
    }

    private static List<String> hints(TaskKind kind) {
        List<String> hints = new ArrayList<>();
        hints.add("结论只填一项。Fill in one result only.");
        if (kind.requiredFields().contains("ASSET_TRANSFER")) {
            hints.add("资产移交填“是”或“否”。ASSET_TRANSFER is YES or NO.");
        }
        if (kind.requiredFields().contains("FEES")) {
            hints.add("业务费用填金额（元），例如 12800.00。FEES is an amount in yuan, e.g. 12800.00.");
        }
        if (kind.requiredFields().contains("APPROVED_CAPACITY")) {
            hints.add("核定容量填千伏安数，例如 2050kVA。APPROVED_CAPACITY in kVA, e.g. 2050kVA.");
        }
        if (kind.requiredFields().contains("TRANSFORMER")) {
            hints.add("变压器每种型号一行“型号×台数×容量”，多种型号重复“变压器:”一行，例如 变压器: S13-M-800/10×2×800kVA。"
                    + "TRANSFORMER: one line per model, model×units×kVA each; repeat the key for each model.");
        }
        if (kind.requiredFields().contains("WORKS")) {
            hints.add("工程项目每项一行，以“新建”或“改造”开头，例如 工程项目: 新建 10kV电缆线路0.4km；没有工程填“无”。"
                    + "WORKS: one line per item, starting with 新建 (new build) or 改造 (renovation); 无 when there is none.");
        }
        if (kind.requiredFields().contains("CT_RATIO")) {
            hints.add("互感器变比例如 300/5、10000/100（电压互感器变比没有可不填）；功率因数填考核标准，例如 0.90。"
                    + "CT_RATIO / PT_RATIO like 300/5, 10000/100 (PT_RATIO optional); POWER_FACTOR the standard, e.g. 0.90.");
        }
        if (kind.optionalFields().contains("ASSET")) {
            hints.add("资产移交为“是”时，移交资产每项一行“名称|规格|数量|账面价值（元）”，例如 移交资产: 10kV环网柜|HXGN15-12|1台|86000.00。"
                    + "With ASSET_TRANSFER YES list each asset: name|specification|quantity|book value in yuan.");
        }
        if (kind.requiredFields().contains("ENERGIZED_AT")) {
            hints.add("送电时间格式 2027-03-01 10:30（北京时间）。ENERGIZED_AT like 2027-03-01 10:30 (Beijing time).");
        }
        if (ReplyValidator.DEFECTS_WITH_NEGATIVE_RESULT.contains(kind)) {
            hints.add("不同意或不合格时须填写缺陷，多项用“；”分隔。With REJECTED or FAILED list the defects, separated by ';'.");
        }
        if (kind == TaskKind.DESIGN) {
            hints.add("请将设计文件作为附件随答复发送。Attach the design files to your reply.");
        }
        return hints;
    }

    private String html(Handoff handoff, String token, String subject) {
        Map<String, String> summary = new LinkedHashMap<>();
        handoff.summary().forEach((key, value) -> summary.put(key == null ? "" : key, value == null ? "" : value));
        String customer = handoff.customerName() == null ? "" : handoff.customerName();
        return templates.render("handoff.ftlh", model(handoff, token, subject, customer, summary));
    }

    private String dueText(OffsetDateTime due) {
        return due == null ? "无时限 none"
                : due.atZoneSameInstant(zone).format(DUE_FORMAT) + "（北京时间 Beijing time）";
    }

    /** Line breaks in a value would break the summary layout or, in the subject, inject headers. */
    private static String oneLine(String value) {
        return value == null ? "" : value.replaceAll("[\\r\\n\\t\\u2028\\u2029]+", " ").strip();
    }
}
