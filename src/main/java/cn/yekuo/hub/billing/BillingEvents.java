package cn.yekuo.hub.billing;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;

/**
 * The billing system's events about a case (materials, fees, arrears, contract, withdrawal) become workflow
 * commands, at the business time the event carries. The route {@code apply-billing-event}
 * ({@code routes/billing-events.yaml}) chooses the method by the event's type, inside the database transaction in
 * which its idempotentConsumer recorded the messageId. An event that does not fit is answered, not applied.
 */
@Service("billingEvents")
@Transactional(propagation = Propagation.MANDATORY)
public class BillingEvents {

    /** The consumer name of the events' message ids in {@code processed_message}. */
    public static final String CONSUMER = "billing-events";

    private final CaseProcess process;

    public BillingEvents(CaseProcess process) {
        this.process = process;
    }

    public void materialsSupplemented(BillingMessage e) {
        Set<Material> materials = EnumSet.noneOf(Material.class);
        e.json().path("materials").forEach(m -> materials.add(Material.valueOf(m.asText())));
        apply(e, new Command.SupplementMaterials(e.time("suppliedAt"), Actor.BILLING, materials));
    }

    public void feesSettled(BillingMessage e) {
        apply(e, new Command.SettleFees(e.time("paidAt"), Actor.BILLING, new BigDecimal(e.text("amount"))));
    }

    public void arrearsCleared(BillingMessage e) {
        apply(e, new Command.ClearArrears(e.time("clearedAt"), Actor.BILLING));
    }

    public void contractSigned(BillingMessage e) {
        apply(e, new Command.SignContract(e.time("signedAt"), Actor.BILLING, e.text("contractNo")));
    }

    public void applicationWithdrawn(BillingMessage e) {
        apply(e, new Command.Withdraw(e.time("withdrawnAt"), Actor.BILLING,
                e.text("reason") == null ? "客户撤回申请 (withdrawn by the customer)" : e.text("reason")));
    }

    /** The route's {@code otherwise}: the reader lets only known event types through, so this is a safety net. */
    public void unknownType(BillingMessage e) {
        throw new MessageRejectedException(ErrorCode.UNKNOWN_TYPE, "type: " + e.type(), e);
    }

    /** The messageId is the route's business (idempotentConsumer), so the process gets no source to de-duplicate. */
    private void apply(BillingMessage event, Command command) {
        CommandResult result = process.byApplicationNo(event.applicationNo(), command, CaseProcess.Source.NONE);
        if (result instanceof CommandResult.Refused refused) {
            ErrorCode code = "UNKNOWN_CASE".equals(refused.code()) ? ErrorCode.UNKNOWN_APPLICATION : ErrorCode.INVALID_STATE;
            String field = code == ErrorCode.UNKNOWN_APPLICATION ? "applicationNo: " : "type: ";
            throw new MessageRejectedException(code, field + refused.message(), event);
        }
    }
}
