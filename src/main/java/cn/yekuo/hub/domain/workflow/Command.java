package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.Material;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What can be asked of a case. {@code at} is the business time (docs/contract.md §1: the message's own time
 * field, or the time a mail was received); {@code actor} goes on the timeline. The application
 * itself ({@code SubmitApplication}) is handled by the intake, which creates the initial state with
 * the factories of {@link CaseWorkflow}.
 */
public sealed interface Command {

    OffsetDateTime at();

    Actor actor();

    /** Materials complete at intake: RECEIVED → ACCEPTED → SCHEME. Refused while materials are missing. */
    record Accept(OffsetDateTime at, Actor actor) implements Command {
        public Accept {
            check(at, actor);
        }
    }

    /** The customer supplied materials (billing {@code MaterialsSupplemented}); only in AWAITING_MATERIALS. */
    record SupplementMaterials(OffsetDateTime at, Actor actor, Set<Material> materials) implements Command {
        public SupplementMaterials {
            check(at, actor);
            materials = Set.copyOf(materials);
        }
    }

    /** The representative confirms by hand that the materials are complete. */
    record ConfirmMaterials(OffsetDateTime at, Actor actor) implements Command {
        public ConfirmMaterials {
            check(at, actor);
        }
    }

    /** A unit's reply to task Tn ({@code fields}: English keys of docs/contract.md §2, e.g. SOURCE, DEFECTS). */
    /**
     * {@code answeredAt}: when the answer reached the hub (a reply's arrival at the mailbox), which closes the task and
     * completes its node; {@code at}, when the hub takes it, starts what follows, so a reply read late never starts the
     * next unit's clock in the past.
     */
    record CompleteTask(OffsetDateTime at, Actor actor, int taskNo, TaskResult result, Map<String, String> fields,
                        OffsetDateTime answeredAt) implements Command {
        public CompleteTask {
            check(at, actor);
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(answeredAt, "answeredAt");
            if (answeredAt.isAfter(at)) {
                throw new IllegalArgumentException("answered at " + answeredAt + ", after it was taken at " + at);
            }
            fields = Task.copy(fields);
        }

        /** An answer taken when it came (the API, a billing message, a test). */
        public CompleteTask(OffsetDateTime at, Actor actor, int taskNo, TaskResult result, Map<String, String> fields) {
            this(at, actor, taskNo, result, fields, at);
        }
    }

    /** The representative, for the customer: same as a CONSTRUCTION reply INSPECTION_REQUESTED. */
    record RequestInspection(OffsetDateTime at, Actor actor) implements Command {
        public RequestInspection {
            check(at, actor);
        }
    }

    /** The representative, for the customer: same as a CONSTRUCTION reply COMPLETED. */
    record RequestAcceptance(OffsetDateTime at, Actor actor) implements Command {
        public RequestAcceptance {
            check(at, actor);
        }
    }

    /** Billing {@code FeesSettled}. */
    record SettleFees(OffsetDateTime at, Actor actor, BigDecimal amount) implements Command {
        public SettleFees {
            check(at, actor);
            Objects.requireNonNull(amount, "amount");
        }
    }

    /** Billing {@code ContractSigned}. */
    record SignContract(OffsetDateTime at, Actor actor, String contractNo) implements Command {
        public SignContract {
            check(at, actor);
            Objects.requireNonNull(contractNo, "contractNo");
        }
    }

    /** Billing {@code ArrearsCleared}. */
    record ClearArrears(OffsetDateTime at, Actor actor) implements Command {
        public ClearArrears {
            check(at, actor);
        }
    }

    /**
     * The case waits for the customer (clocks stop), from {@code at} or from {@code from}, a moment before it (a pause
     * recorded late, docs/domain.md "Waiting for the customer"); null: from {@code at}.
     */
    record PauseForCustomer(OffsetDateTime at, Actor actor, String reason, OffsetDateTime from) implements Command {
        public PauseForCustomer {
            check(at, actor);
            Objects.requireNonNull(reason, "reason");
        }

        /** A pause from now. */
        public PauseForCustomer(OffsetDateTime at, Actor actor, String reason) {
            this(at, actor, reason, null);
        }
    }

    /** The customer is back (clocks run again). */
    record ResumeFromCustomer(OffsetDateTime at, Actor actor) implements Command {
        public ResumeFromCustomer {
            check(at, actor);
        }
    }

    /** Billing {@code ApplicationWithdrawn}. */
    record Withdraw(OffsetDateTime at, Actor actor, String reason) implements Command {
        public Withdraw {
            check(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The return visit is done: ENERGIZED → CLOSED. */
    record CloseAfterReturnVisit(OffsetDateTime at, Actor actor) implements Command {
        public CloseAfterReturnVisit {
            check(at, actor);
        }
    }

    /**
     * The scheme's validity ended before the design went to review (逾期未办理后续手续): DESIGN → SCHEME, the open
     * design tasks cancelled and a new scheme asked of both units under a new SCHEME_REPLY clock.
     */
    record ExpireScheme(OffsetDateTime at, Actor actor) implements Command {
        public ExpireScheme {
            check(at, actor);
        }
    }

    private static void check(OffsetDateTime at, Actor actor) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}
