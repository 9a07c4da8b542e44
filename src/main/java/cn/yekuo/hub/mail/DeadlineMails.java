package cn.yekuo.hub.mail;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import org.springframework.stereotype.Component;

import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.deadlines.DeadlineListener;
import cn.yekuo.hub.deadlines.DeadlineNotice;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.CaseTasks;

/**
 * Deadline warnings and misses of the workflow (issue 4 point 2) go by mail to each responsible unit and to the
 * representatives, through the outbox inside the watcher's transaction. One mail per notice and recipient: the
 * outbox message id makes a repeated scan harmless.
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

    public DeadlineMails(MailDirectory directory, MailMessages messages, Outbox outbox, CaseTasks tasks, HandoffToken tokens,
                         HubProperties hub) {
        this.zone = hub.businessZone();
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
        Map<String, String> recipients = new LinkedHashMap<>();
        for (String code : notice.units()) {
            Unit unit = Unit.fromCode(code);
            recipients.put(code, unit == Unit.CUSTOMER_REP || !MailDirectory.MAIL_UNITS.contains(unit)
                    ? directory.repsAddress() : directory.addressOf(unit));
        }
        recipients.put("reps", directory.repsAddress());
        List<CaseTasks.TaskRow> open = tasks.openOnNode(notice.nodeId());
        String title = missed ? "已超期 Deadline missed" : "时限预警 Deadline warning";
        String subject = "【业扩报装】" + title + "：" + notice.caseNo() + " " + notice.node().chinese() + " " + notice.node().name();
        StringBuilder text = new StringBuilder();
        text.append(missed
                ? "下列环节已超过时限，请尽快办理；超期将计入经济责任制考核。\nThe deadline below has passed; please act at once (the overrun is charged).\n\n"
                : "下列环节即将到期，请在期限前办理。\nThe deadline below is near; please act before it.\n\n");
        text.append("  案件编号 Case no.: ").append(notice.caseNo()).append('\n');
        text.append("  环节 Node: ").append(notice.node().chinese()).append(" / ").append(notice.node().name()).append('\n');
        text.append("  期限 Due: ").append(notice.dueAt().atZoneSameInstant(zone).format(TIME))
                .append("（北京时间 Beijing time）\n");
        if (missed) {
            text.append("  已超期 Overrun: ").append(notice.overrunDays()).append(" 天 day(s)\n");
        }
        text.append("  待办单位 Units owing an answer: ").append(String.join(", ", notice.units())).append('\n');
        if (!open.isEmpty()) {
            text.append("\n待答复任务 Open tasks (reply to their hand-off mail, keeping the token):\n");
            for (CaseTasks.TaskRow task : open) {
                text.append("  ").append(tokens.tokenFor(task.caseNo(), task.taskNo())).append(' ')
                        .append(task.kind().titleZh()).append(" / ").append(task.kind().titleEn())
                        .append(" — ").append(task.unit()).append('\n');
            }
        }
        recipients.forEach((recipient, address) -> {
            String id = outboxIdOf(notice, missed, recipient);
            outbox.addIfAbsent(notice.caseId(), Outbox.MAIL, id, notice.caseNo(),
                    Map.of("to", address, "kind", missed ? "DEADLINE_MISSED" : "DEADLINE_WARNING", "subject", subject),
                    messages.toPayload(OutgoingMail.notice(directory.hubAddress(), address, subject, text.toString(), notice.at())));
        });
    }
}
