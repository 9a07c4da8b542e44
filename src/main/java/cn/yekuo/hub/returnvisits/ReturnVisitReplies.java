package cn.yekuo.hub.returnvisits;

import cn.yekuo.hub.replies.PlanReplies;
import cn.yekuo.hub.reports.ReportMails;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.replies.AuthenticationResults;
import cn.yekuo.hub.replies.grammar.Rejection;
import cn.yekuo.hub.replies.grammar.RejectionCode;
import cn.yekuo.hub.replies.grammar.ReplyKey;
import cn.yekuo.hub.replies.ReplyValidator;
import cn.yekuo.hub.tokens.TokenCutover;
import cn.yekuo.hub.tokens.TokenRef;
import cn.yekuo.hub.replies.UnitReply;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;

/**
 * A supply station's reply to its return-visit plan (docs/contract.md §2), called by {@code UnitReplies} inside its transaction
 * for a mail whose subject holds an authentic plan token. Each usable line is recorded on the plan and on the case's
 * timeline and closes the case (ENERGIZED → CLOSED); unusable lines go to the representatives in a notice. A mail from
 * another sender than the station's mailbox or not vouched for by the receiving server (when that check is on), with a
 * 6-hex token for a plan sent after the cut-over, for an unknown plan, with a note longer than a reply's NOTE, or
 * without one usable line is quarantined and records nothing.
 */
@Component
public class ReturnVisitReplies implements PlanReplies {

    public static final String CONSUMER = "return-visit-replies";
    private static final Logger log = LoggerFactory.getLogger(ReturnVisitReplies.class);

    private final ReturnVisitStore store;
    private final CaseProcess process;
    private final CaseStore cases;
    private final ReportMails mails;
    private final ReturnVisitReplyGrammar grammar = new ReturnVisitReplyGrammar();
    private final ObjectMapper json = new ObjectMapper();
    private final AuthenticationResults authentication;
    private final TokenCutover cutover;

    public ReturnVisitReplies(ReturnVisitStore store, CaseProcess process, CaseStore cases, ReportMails mails,
                              HubProperties properties, TokenCutover cutover) {
        this.store = store;
        this.process = process;
        this.cases = cases;
        this.mails = mails;
        HubProperties.Mail.AuthResults auth = properties.mail().authResults();
        this.authentication = new AuthenticationResults(auth.enabled(), auth.authservId());
        this.cutover = cutover;
    }

    /** Accepted (with the number of visits recorded) or the reason to quarantine the mail. */
    public record Result(int recorded, List<ReturnVisitReply.UnusableLine> unusable, Rejection rejection) {
        public boolean accepted() {
            return rejection == null;
        }
    }

    @Override
    public Optional<Rejection> take(UnitReply reply, TokenRef.ReturnVisit plan, String mailKey, OffsetDateTime now) {
        Result result = accept(reply, plan, mailKey, now);
        return result.accepted() ? Optional.empty() : Optional.of(result.rejection());
    }

    public Result accept(UnitReply reply, TokenRef.ReturnVisit token, String mailKey, OffsetDateTime now) {
        Optional<String> stationAddress = mails.directory().stationAddress(token.station());
        if (stationAddress.isEmpty() || !stationAddress.get().equalsIgnoreCase(reply.sender())) {
            return rejected(Rejection.senderNotAllowed(reply.sender(), "供电所 " + token.station()));
        }
        // the same check as a unit's reply: a forged From of the station's address is not enough
        Optional<String> unauthenticated = authentication.refusal(reply.authenticationResults(), reply.sender());
        if (unauthenticated.isPresent()) {
            return rejected(Rejection.senderNotAuthenticated(reply.sender(), unauthenticated.get()));
        }
        Optional<Long> plan = store.findPlanId(token.month(), token.station());
        if (plan.isEmpty()) {
            return rejected(new Rejection(RejectionCode.UNKNOWN_CASE,
                    "回访计划 " + token.text() + " 不存在（该月计划尚未发出）。",
                    "There is no return-visit plan " + token.text() + " (the month's plan was not sent)."));
        }
        long planId = plan.get();
        if (token.isLegacy() && !cutover.legacyPlanToken(planId)) {
            return rejected(Rejection.legacyToken(token));
        }
        ReturnVisitReply parsed = grammar.parse(reply.body());
        int maxNote = ReplyValidator.maxChars(ReplyKey.NOTE);
        for (ReturnVisitReply.Visit visit : parsed.visits()) {
            if (visit.note().length() > maxNote) {
                return rejected(Rejection.fieldTooLong(ReplyKey.NOTE, visit.note().length(), maxNote));
            }
        }
        List<ReturnVisitReply.UnusableLine> unusable = new ArrayList<>(parsed.unusable());
        int recorded = 0;
        for (ReturnVisitReply.Visit visit : parsed.visits()) {
            Optional<ReturnVisitStore.PlanCaseRef> row = store.findPlanCase(planId, visit.caseNo());
            String line = visit.caseNo() + ": " + visit.satisfaction().chinese() + " " + visit.note();
            if (row.isEmpty()) {
                unusable.add(new ReturnVisitReply.UnusableLine(line, "案件 " + visit.caseNo() + " 不在本供电所本月的回访计划中",
                        "case " + visit.caseNo() + " is not in this station's plan of the month"));
                continue;
            }
            if (row.get().visited()) {
                unusable.add(new ReturnVisitReply.UnusableLine(line, "案件 " + visit.caseNo() + " 的回访结果已在此前的邮件中上报",
                        "the visit of case " + visit.caseNo() + " was reported in an earlier mail"));
                continue;
            }
            long caseId = row.get().caseId();
            store.recordVisit(row.get().id(), visit.satisfaction().name(), visit.note(), now, mailKey);
            Stage stage = cases.findByCaseNo(visit.caseNo()).map(c -> c.stage()).orElse(null);
            ObjectNode details = json.createObjectNode();
            details.put("plan", token.text());
            details.put("station", token.station());
            details.put("satisfaction", visit.satisfaction().name());
            details.put("note", visit.note());
            details.put("mailKey", mailKey);
            cases.appendTimeline(caseId, now, Actor.UNIT.name(), "RETURN_VISIT", stage,
                    "回访结果：" + visit.satisfaction().chinese() + (visit.note().isEmpty() ? "" : "，" + visit.note())
                            + "（" + token.station() + " 供电所）/ Return visit: " + visit.satisfaction().name(), details.toString());
            CommandResult closed = process.byCaseNo(visit.caseNo(), new Command.CloseAfterReturnVisit(now, Actor.UNIT),
                    new CaseProcess.Source(CONSUMER, mailKey + "/" + visit.caseNo()));
            if (closed instanceof CommandResult.Refused refused) {
                log.info("Return visit of {} recorded; the case was not closed: {} {}", visit.caseNo(), refused.code(), refused.message());
            }
            recorded++;
        }
        if (recorded == 0) {
            List<String> zh = unusable.stream().map(u -> "“" + u.line() + "”：" + u.reasonZh()).toList();
            List<String> en = unusable.stream().map(u -> "\"" + u.line() + "\": " + u.reasonEn()).toList();
            return new Result(0, unusable, new Rejection(RejectionCode.EMPTY_BODY,
                    "回访结果邮件中没有可采用的行" + (zh.isEmpty() ? "。" : "：" + String.join("；", zh)),
                    "The return-visit reply has no usable line" + (en.isEmpty() ? "." : ": " + String.join("; ", en))));
        }
        store.markReported(planId, now);
        if (!unusable.isEmpty()) {
            notifyUnusable(reply, token, mailKey, unusable, recorded, now);
        }
        log.info("Return-visit reply of {} for {}: {} visit(s) recorded, {} unusable line(s)", token.station(), token.month(),
                recorded, unusable.size());
        return new Result(recorded, unusable, null);
    }

    private void notifyUnusable(UnitReply reply, TokenRef.ReturnVisit token, String mailKey,
                                List<ReturnVisitReply.UnusableLine> unusable, int recorded, OffsetDateTime now) {
        String subject = "【业扩报装】回访结果中有无法采用的行 / Unusable lines in a return-visit reply " + token.station() + " " + token.month();
        String text = mails.text("return-visit-unusable.ftl", Map.of("station", token.station(), "recorded", recorded,
                "unusable", unusable, "sender", reply.sender(), "subject", reply.subject().replaceAll("[\\r\\n]+", " ")));
        mails.send("rv-unusable-" + mailKey.substring(0, 40), mails.directory().repsAddress(), "RETURN_VISIT_UNUSABLE_LINES",
                subject, text, List.of(), now);
    }

    private static Result rejected(Rejection why) {
        return new Result(0, List.of(), why);
    }
}
