package cn.yekuo.hub.process;

import java.time.OffsetDateTime;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.cases.ProcessedMessages;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.CaseWorkflow;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.domain.workflow.Outcome;

/**
 * Process Manager: the one door through which billing events, unit replies and representatives' actions
 * change a case. Each command is one transaction: lock the case, apply the workflow, record every effect,
 * remember the message id — or change nothing and say why.
 */
@Service
public class CaseProcess {

    private static final Logger log = LoggerFactory.getLogger(CaseProcess.class);

    private final CaseStore cases;
    private final CaseStates states;
    private final CaseWorkflow workflow;
    private final EffectRecorder recorder;
    private final ProcessedMessages processed;
    // not a route's transacted: representatives' actions and mail replies call it from outside any route; it joins
    // the transaction of a route that calls it (apply-billing-event)
    private final TransactionTemplate tx;
    private final java.time.Clock clock;

    public CaseProcess(CaseStore cases, CaseStates states, CaseWorkflow workflow, EffectRecorder recorder,
                       ProcessedMessages processed, TransactionTemplate tx, java.time.Clock clock) {
        this.clock = clock;
        this.cases = cases;
        this.states = states;
        this.workflow = workflow;
        this.recorder = recorder;
        this.processed = processed;
        this.tx = tx;
    }

    /**
     * Where a command comes from, for idempotency: the consumer and the id of its message (or null: none, or the
     * caller's route de-duplicates, as the billing events' idempotentConsumer does).
     */
    public record Source(String consumer, String messageId) {
        public static final Source NONE = new Source(null, null);
    }

    public CommandResult byCaseNo(String caseNo, Command command, Source source) {
        return byCaseNo(caseNo, command, source, command.actor().name());
    }

    /** @param actedBy who the timeline names: the login of the representative who acted, else the actor's kind */
    public CommandResult byCaseNo(String caseNo, Command command, Source source, String actedBy) {
        return execute(() -> cases.lockByCaseNo(caseNo), "case " + caseNo, command, source, actedBy);
    }

    public CommandResult byApplicationNo(String applicationNo, Command command, Source source) {
        return execute(() -> cases.lockByApplicationNo(applicationNo), "application " + applicationNo, command, source,
                command.actor().name());
    }

    private CommandResult execute(java.util.function.Supplier<Optional<CaseRecord>> lock, String what, Command command, Source source,
                                  String actedBy) {
        return tx.execute(status -> {
            if (source.messageId() != null && processed.contains(source.consumer(), source.messageId())) {
                return new CommandResult.Duplicate();
            }
            Optional<CaseRecord> found = lock.get();
            if (found.isEmpty()) {
                return new CommandResult.Refused("UNKNOWN_CASE", what + " is not known to the hub");
            }
            CaseRecord c = found.get();
            String outerCaseNo = MDC.get("caseNo"); // a caller's (a reply, a request) stays after this
            MDC.put("caseNo", c.caseNo());
            try {
                CaseState state = states.read(c.stateJson());
                if (state == null) {
                    return new CommandResult.Refused(Outcome.Refused.INVALID_STATE,
                            "case " + c.caseNo() + " is " + c.stage() + " and takes no commands");
                }
                Outcome outcome = workflow.apply(state, command);
                if (outcome instanceof Outcome.Refused refused) {
                    log.info("Refused {} for case {}: {}", command.getClass().getSimpleName(), c.caseNo(), refused.message());
                    return new CommandResult.Refused(refused.code(), refused.message());
                }
                Outcome.Transition transition = (Outcome.Transition) outcome;
                recorder.record(c, state.stage(), state.customerWait() == null ? null : state.customerWait().since(),
                        transition, actedBy);
                if (source.messageId() != null) {
                    processed.record(source.consumer(), source.messageId(), OffsetDateTime.now(clock));
                }
                log.info("Case {}: {} → {}", c.caseNo(), command.getClass().getSimpleName(), transition.next().stage());
                return new CommandResult.Applied(c.caseNo(), transition.next());
            } finally {
                if (outerCaseNo == null) {
                    MDC.remove("caseNo");
                } else {
                    MDC.put("caseNo", outerCaseNo);
                }
            }
        });
    }
}
