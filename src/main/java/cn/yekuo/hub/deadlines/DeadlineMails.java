package cn.yekuo.hub.deadlines;

import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.tokens.HandoffToken;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.CaseTasks;

/**
 * Deadline warnings and misses of the workflow (issue 4 point 2) go by mail to each responsible unit and to the
 * representatives, through the outbox inside the watcher's transaction. One mail per notice and recipient: the
 * outbox message id makes a repeated scan harmless. The body is {@code mails/deadline.ftl}.
 */
@Component
public class DeadlineMails implements DeadlineListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final MailDirectory directory;
    private final MailMessages messages;
    private final Outbox outbox;
    private final CaseTasks tasks;
    private final HandoffToken tokens;
    private final java.time.ZoneId zone;
    private final MailTemplates templates;

    private final CaseAssignments assignments;

    public DeadlineMails(MailDirectory directory, MailMessages messages, Outbox outbox, CaseTasks tasks, HandoffToken tokens,
                         HubProperties hub, MailTemplates templates, CaseAssignments assignments) {
        this.assignments = assignments;
        this.zone = hub.businessZone();
        this.templates = templates;
        this.directory = directory;
        this.messages = messages;
        this.outbox = outbox;
        this.tasks = tasks;
        this.tokens = tokens;
    }

    @Override
    public void warning(DeadlineNotice notice) {
        send(notice, false);
    }

    @Override
    public void missed(DeadlineNotice notice) {
        send(notice, true);
    }

    /** The outbox id of a notice's mail to one recipient ({@code reps} or a unit code). */
    public static String outboxIdOf(DeadlineNotice notice, boolean missed, String recipient) {
        return "deadline-" + (missed ? "missed-" : "warning-") + notice.nodeId() + "-" + recipient;
    }

    private void send(DeadlineNotice notice, boolean missed) {
        // the case's own representative (issue 17), not the shared mailbox
        String rep = assignments.noticeAddress(notice.caseId(), directory.repsAddress());
        Map<String, String> recipients = new LinkedHashMap<>();
        for (String code : notice.units()) {
            Unit unit = Unit.fromCode(code);
            recipients.put(code, unit == Unit.CUSTOMER_REP || !MailDirectory.MAIL_UNITS.contains(unit)
                    ? rep : directory.addressOf(unit));
        }
        recipients.put("reps", rep);
        List<CaseTasks.TaskRow> open = tasks.openOnNode(notice.nodeId());
        String title = missed ? "已超期 Deadline missed" : "时限预警 Deadline warning";
        String subject = "【业扩报装】" + title + "：" + notice.caseNo() + " " + notice.node().chinese() + " " + notice.node().name();
        Map<String, Object> model = new HashMap<>();
        model.put("missed", missed);
        model.put("caseNo", notice.caseNo());
        model.put("nodeZh", notice.node().chinese());
        model.put("node", notice.node().name());
        model.put("due", notice.dueAt().atZoneSameInstant(zone).format(TIME));
        model.put("overrunDays", notice.overrunDays());
        model.put("units", notice.units());
        model.put("open", open.stream().map(task -> Map.of("token", tokens.tokenFor(task.caseNo(), task.taskNo()),
                "titleZh", task.kind().titleZh(), "titleEn", task.kind().titleEn(), "unit", task.unit())).toList());
        String text = templates.render("deadline.ftl", model);
        recipients.forEach((recipient, address) -> {
            String id = outboxIdOf(notice, missed, recipient);
            outbox.addIfAbsent(notice.caseId(), Outbox.MAIL, id, notice.caseNo(),
                    Map.of("to", address, "kind", missed ? "DEADLINE_MISSED" : "DEADLINE_WARNING", "subject", subject),
                    messages.toPayload(OutgoingMail.notice(directory.hubAddress(), address, subject, text, notice.at())));
        });
    }
}
