package cn.yekuo.hub.events;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.stereotype.Service;

import cn.yekuo.hub.billing.BillingMessage;
import cn.yekuo.hub.billing.ErrorCode;
import cn.yekuo.hub.billing.MessageRejectedException;
import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.Command;
import cn.yekuo.hub.process.CaseProcess;
import cn.yekuo.hub.process.CommandResult;

/**
 * The billing system's events about a case (materials, fees, arrears, contract, withdrawal) become workflow
 * commands, at the business time the event carries. An event that does not fit is answered, not applied.
 */
@Service("billingEvents")
public class BillingEvents {

    static final String CONSUMER = "billing-events";

    private final CaseProcess process;

    public BillingEvents(CaseProcess process) {
        this.process = process;
    }

    public void apply(BillingMessage event) {
        Command command = toCommand(event);
        CommandResult result = process.byApplicationNo(event.applicationNo(), command,
                new CaseProcess.Source(CONSUMER, event.messageId()));
        if (result instanceof CommandResult.Refused refused) {
            ErrorCode code = "UNKNOWN_CASE".equals(refused.code()) ? ErrorCode.UNKNOWN_APPLICATION : ErrorCode.INVALID_STATE;
            String field = code == ErrorCode.UNKNOWN_APPLICATION ? "applicationNo: " : "type: ";
            throw new MessageRejectedException(code, field + refused.message(), event);
        }
    }

    static Command toCommand(BillingMessage e) {
        return switch (e.type()) {
            case "MaterialsSupplemented" -> {
                Set<Material> materials = EnumSet.noneOf(Material.class);
                e.json().path("materials").forEach(m -> materials.add(Material.valueOf(m.asText())));
                yield new Command.SupplementMaterials(time(e, "suppliedAt"), Actor.BILLING, materials);
            }
            case "FeesSettled" -> new Command.SettleFees(time(e, "paidAt"), Actor.BILLING, new BigDecimal(e.text("amount")));
            case "ArrearsCleared" -> new Command.ClearArrears(time(e, "clearedAt"), Actor.BILLING);
            case "ContractSigned" -> new Command.SignContract(time(e, "signedAt"), Actor.BILLING, e.text("contractNo"));
            case "ApplicationWithdrawn" -> new Command.Withdraw(time(e, "withdrawnAt"), Actor.BILLING,
                    e.text("reason") == null ? "客户撤回申请 (withdrawn by the customer)" : e.text("reason"));
            default -> throw new MessageRejectedException(ErrorCode.UNKNOWN_TYPE, "type: " + e.type(), e);
        };
    }

    private static OffsetDateTime time(BillingMessage e, String field) {
        return e.time(field);
    }
}
