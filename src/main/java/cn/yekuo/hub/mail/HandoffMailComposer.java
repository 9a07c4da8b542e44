package cn.yekuo.hub.mail;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
 * (its keys are read back by {@link ReplyGrammar}). In the HTML alternative every value is escaped:
 * names and addresses come from billing messages and are data, never markup.
 */
public final class HandoffMailComposer {

    private static final DateTimeFormatter DUE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final HandoffToken tokens;
    private final boolean withHtml;
    private final ZoneId zone;

    /** @param zone the business time zone the due time is written in */
    public HandoffMailComposer(HandoffToken tokens, ZoneId zone) {
        this(tokens, zone, true);
    }

    public HandoffMailComposer(HandoffToken tokens, ZoneId zone, boolean withHtml) {
        this.tokens = tokens;
        this.zone = zone;
        this.withHtml = withHtml;
    }

    public HandoffMail compose(Handoff handoff) {
        String token = tokens.tokenFor(handoff.caseNo(), handoff.taskNo());
        TaskKind kind = handoff.kind();
        String subject = oneLine(token + " " + kind.titleZh() + " " + kind.titleEn() + " — " + handoff.customerName());
        Optional<String> html = withHtml ? Optional.of(html(handoff, token, subject)) : Optional.empty();
        return new HandoffMail(token, subject, text(handoff, token, subject), html);
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
        StringBuilder out = new StringBuilder();
        out.append(subject).append("\n\n");
        out.append("案件概要 Case summary\n");
        out.append("  案件编号 Case no.: ").append(handoff.caseNo()).append('\n');
        out.append("  任务 Task: T").append(handoff.taskNo()).append(' ')
                .append(handoff.kind().titleZh()).append(" / ").append(handoff.kind().titleEn()).append('\n');
        out.append("  客户 Customer: ").append(oneLine(handoff.customerName())).append('\n');
        for (Map.Entry<String, String> line : handoff.summary().entrySet()) {
            out.append("  ").append(oneLine(line.getKey())).append(": ").append(oneLine(line.getValue())).append('\n');
        }
        out.append("\n请办理 What is asked\n");
        for (String line : handoff.ask().split("\r\n|\r|\n")) {
            out.append("  ").append(line).append('\n');
        }
        out.append("\n答复期限 Due: ").append(dueText(handoff.due())).append("\n\n");
        out.append("答复方法 How to reply\n");
        out.append("  请直接回复本邮件并保留主题中的编号 ").append(token)
                .append("，在正文开头逐行填写下列各项（键可用中文或英文，冒号“:”或“：”均可）。\n");
        out.append("  Reply to this mail keeping ").append(token)
                .append(" in the subject, and write one \"key: value\" line per item at the top of your reply.\n\n");
        out.append("----- 答复模板 Reply template -----\n");
        for (String line : templateLines(handoff.kind())) {
            out.append(line).append('\n');
        }
        out.append("----- 模板结束 End of template -----\n");
        for (String hint : hints(handoff.kind())) {
            out.append(hint).append('\n');
        }
        return out.toString();
    }

    /** The template: RESULT with the task's allowed values, its required keys, DEFECTS where asked, NOTE. */
    static List<String> templateLines(TaskKind kind) {
        List<String> lines = new ArrayList<>();
        var expected = ReplyValidator.expectedResults(kind);
        lines.add(ReplyKey.RESULT.label() + ": "
                + expected.stream().map(ReplyResult::chinese).collect(Collectors.joining(" / "))
                + " (" + expected.stream().map(Enum::name).collect(Collectors.joining(" / ")) + ")");
        for (String field : kind.requiredFields()) {
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
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>").append(escape(subject))
                .append("</title></head><body>\n");
        out.append("<p><b>").append(escape(subject)).append("</b></p>\n");
        out.append("<h3>案件概要 Case summary</h3>\n<table>\n");
        row(out, "案件编号 Case no.", handoff.caseNo());
        row(out, "任务 Task", "T" + handoff.taskNo() + " " + handoff.kind().titleZh() + " / " + handoff.kind().titleEn());
        row(out, "客户 Customer", handoff.customerName());
        for (Map.Entry<String, String> line : handoff.summary().entrySet()) {
            row(out, line.getKey(), line.getValue());
        }
        out.append("</table>\n<h3>请办理 What is asked</h3>\n<p>");
        out.append(escape(handoff.ask()).replaceAll("\r\n|\r|\n", "<br>\n"));
        out.append("</p>\n<p>答复期限 Due: ").append(escape(dueText(handoff.due()))).append("</p>\n");
        out.append("<h3>答复方法 How to reply</h3>\n<p>请直接回复本邮件并保留主题中的编号 ").append(escape(token))
                .append("，在正文开头逐行填写下列各项。<br>\nReply keeping ").append(escape(token))
                .append(" in the subject, one &quot;key: value&quot; line per item.</p>\n<pre>\n");
        for (String line : templateLines(handoff.kind())) {
            out.append(escape(line)).append('\n');
        }
        out.append("</pre>\n<p>");
        out.append(hints(handoff.kind()).stream().map(HandoffMailComposer::escape).collect(Collectors.joining("<br>\n")));
        out.append("</p>\n</body></html>\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append("<tr><th align=\"left\">").append(escape(label)).append("</th><td>").append(escape(value))
                .append("</td></tr>\n");
    }

    private String dueText(OffsetDateTime due) {
        return due == null ? "无时限 none"
                : due.atZoneSameInstant(zone).format(DUE_FORMAT) + "（北京时间 Beijing time）";
    }

    /** Line breaks in a value would break the summary layout or, in the subject, inject headers. */
    private static String oneLine(String value) {
        return value == null ? "" : value.replaceAll("[\\r\\n\\t\\u2028\\u2029]+", " ").strip();
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
