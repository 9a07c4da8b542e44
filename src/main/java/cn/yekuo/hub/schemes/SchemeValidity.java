package cn.yekuo.hub.schemes;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.mailtransport.MailDirectory;
import cn.yekuo.hub.mailtransport.MailMessages;
import cn.yekuo.hub.mailtransport.MailTemplates;
import cn.yekuo.hub.mailtransport.OutgoingMail;
import cn.yekuo.hub.outbox.Outbox;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;

/**
 * 方案有效期 (docs/domain.md): a notified scheme is valid for its rule set's {@code schemeValidityMonths}. While the design
 * has not gone to review, the case's representative is warned once {@value #WARNING_DAYS} days before the last valid day,
 * and the day after it the scheme lapses ({@link Command.ExpireScheme}: the case goes back to SCHEME for a new one).
 */
@Component
public class SchemeValidity {

    static final int WARNING_DAYS = 30;
    private static final Logger log = LoggerFactory.getLogger(SchemeValidity.class);

    private final LapsingSchemes schemes;
    private final TimeLimitRules rules;
    private final CaseProcess process;
    private final Outbox outbox;
    private final MailDirectory directory;
    private final CaseAssignments assignments;
    private final MailMessages messages;
    private final MailTemplates templates;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ZoneId zone;

    public SchemeValidity(LapsingSchemes schemes, TimeLimitRules rules, CaseProcess process, Outbox outbox,
                          MailDirectory directory, CaseAssignments assignments, MailMessages messages, MailTemplates templates,
                          TransactionTemplate tx, Clock clock, HubProperties hub) {
        this.schemes = schemes;
        this.rules = rules;
        this.process = process;
        this.outbox = outbox;
        this.directory = directory;
        this.assignments = assignments;
        this.messages = messages;
        this.templates = templates;
        this.tx = tx;
        this.clock = clock;
        this.zone = hub.businessZone();
    }

    /** Warns and lapses what is due today; safe to run any number of times a day. */
    public void check() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        LocalDate today = now.atZoneSameInstant(zone).toLocalDate();
        for (LapsingSchemes.Candidate c : schemes.inDesign()) {
            LocalDate notifiedOn = c.notifiedAt().atZoneSameInstant(zone).toLocalDate();
            LocalDate validUntil = notifiedOn.plusMonths(rules.schemeValidityMonths(c.acceptedAt().atZoneSameInstant(zone).toLocalDate()));
            if (today.isAfter(validUntil)) {
                CommandResult result = process.byCaseNo(c.caseNo(), new Command.ExpireScheme(now, Actor.SYSTEM),
                        CaseProcess.Source.NONE, "scheme-validity");
                log.info("Case {}: the scheme notified {} lapsed after {} ({})", c.caseNo(), notifiedOn, validUntil, result);
            } else if (!today.isBefore(validUntil.minusDays(WARNING_DAYS))) {
                warn(c, notifiedOn, validUntil, now);
            }
        }
    }

    /** One warning per scheme: the outbox id names the case and the scheme's last day. */
    private void warn(LapsingSchemes.Candidate c, LocalDate notifiedOn, LocalDate validUntil, OffsetDateTime now) {
        String to = assignments.noticeAddress(c.caseId(), directory.repsAddress());
        String subject = "【业扩报装】供电方案即将到期 Scheme lapsing：" + c.caseNo() + " " + validUntil;
        String text = templates.render("scheme-lapsing.ftl",
                Map.of("caseNo", c.caseNo(), "notifiedOn", notifiedOn.toString(), "validUntil", validUntil.toString()));
        boolean added = Boolean.TRUE.equals(tx.execute(status -> outbox.addIfAbsent(c.caseId(), Outbox.MAIL,
                "scheme-lapsing-" + c.caseNo() + "-" + validUntil, c.caseNo(),
                Map.of("to", to, "kind", "SCHEME_LAPSING", "subject", subject),
                messages.toPayload(OutgoingMail.notice(directory.hubAddress(), to, subject, text, now)))));
        if (added) {
            log.info("Case {}: the representatives warned that the scheme lapses after {}", c.caseNo(), validUntil);
        }
    }
}
