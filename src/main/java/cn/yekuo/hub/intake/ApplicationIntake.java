package cn.yekuo.hub.intake;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import cn.yekuo.hub.billing.BillingMessage;
import cn.yekuo.hub.billing.ErrorCode;
import cn.yekuo.hub.billing.MessageRejectedException;
import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.cases.NewCase;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.domain.Eligibility;
import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.MaterialsChecklist;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.workflow.Actor;
import cn.yekuo.hub.domain.workflow.CaseWorkflow;
import cn.yekuo.hub.domain.workflow.Outcome;
import cn.yekuo.hub.metrics.BusinessCounters;
import cn.yekuo.hub.process.EffectRecorder;

/**
 * Application (受理): records a new case from an ApplicationSubmitted, decides eligibility and materials
 * completeness, and answers billing — all in one database transaction, the {@code open-case} route's
 * ({@code routes/billing-intake.yaml}), which also records the messageId (idempotentConsumer) in it.
 */
@Service
public class ApplicationIntake {

    /** The consumer name of the intake's message ids in {@code processed_message}. */
    public static final String CONSUMER = "billing-intake";
    private static final Logger log = LoggerFactory.getLogger(ApplicationIntake.class);

    private final CaseStore cases;
    private final EffectRecorder recorder;
    private final HubProperties hub;
    private final Clock clock;
    private final CaseAssignments assignments;
    private final BusinessCounters counters;

    public ApplicationIntake(CaseStore cases, EffectRecorder recorder, HubProperties hub, Clock clock,
                             CaseAssignments assignments, BusinessCounters counters) {
        this.counters = counters;
        this.assignments = assignments;
        this.cases = cases;
        this.recorder = recorder;
        this.hub = hub;
        this.clock = clock;
    }

    /**
     * Opens the case of a new application and returns its number. Runs only inside the route's transaction, after
     * the idempotentConsumer recorded the messageId in it: a resend never gets here, and since that id's row is
     * written before the case, a known applicationNo here is another message's.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public String submit(BillingMessage message) {
        // every line about this application names it, the case number joins once the case exists
        try (MDC.MDCCloseable app = MDC.putCloseable("applicationNo", message.applicationNo())) {
            if (cases.existsByApplicationNo(message.applicationNo())) {
                throw new MessageRejectedException(ErrorCode.DUPLICATE_APPLICATION,
                        "applicationNo: " + message.applicationNo() + " is already known under another messageId", message);
            }
            return open(toNewCase(message));
        }
    }

    private String open(NewCase application) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        int year = application.submittedAt().atZoneSameInstant(hub.businessZone()).getYear();
        String caseNo = cases.nextCaseNo(year);
        String outerCaseNo = MDC.get("caseNo"); // a caller's (a reply, a request) stays after this
        MDC.put("caseNo", caseNo);
        try {
            long id = cases.insert(caseNo, application, Stage.RECEIVED, null, now);
            CaseRecord received = cases.inserted(id, caseNo, application, Stage.RECEIVED, null);
            recorder.received(received, "收到用电申请 " + application.applicationNo() + " (application received)");
            counters.applicationReceived();

            Optional<String> notEligible = Eligibility.whyNotEligible(application.serviceType(),
                    application.supplyVoltageKv(), application.transformerKva(), application.existingKva());
            if (notEligible.isPresent()) {
                recorder.recordWithoutWorkflow(received, Stage.NOT_ELIGIBLE, "SYSTEM", notEligible.get());
                log.info("Case {} not eligible: {}", caseNo, notEligible.get());
                return caseNo;
            }
            // the application is taken on: one named representative from now on (issue 17), before any document
            received = received.withRepresentative(assignments.assign(received).id());
            ServiceType type = ServiceType.valueOf(application.serviceType());
            List<Material> missing = MaterialsChecklist.missing(type, application.materials());
            // the application's own time starts the clocks (business time, docs/contract.md §1)
            Outcome.Transition opened = missing.isEmpty()
                    ? CaseWorkflow.openAccepted(caseNo, type, application.powerSources(), application.submittedAt(), Actor.BILLING)
                    : CaseWorkflow.openAwaitingMaterials(caseNo, type, application.powerSources(), missing,
                            application.submittedAt(), Actor.BILLING);
            recorder.record(received, Stage.RECEIVED, null, opened, Actor.BILLING.name());
            log.info("Case {} for application {}: {}", caseNo, application.applicationNo(), opened.next().stage());
            return caseNo;
        } finally {
            if (outerCaseNo == null) {
                MDC.remove("caseNo");
            } else {
                MDC.put("caseNo", outerCaseNo);
            }
        }
    }

    private NewCase toNewCase(BillingMessage m) {
        JsonNode j = m.json();
        String station = j.path("site").path("supplyStation").asText();
        if (!hub.supplyStations().contains(station)) {
            throw new MessageRejectedException(ErrorCode.SCHEMA_VIOLATION,
                    "site.supplyStation: '" + station + "' is not a configured supply station " + hub.supplyStations(), m);
        }
        List<Material> materials = new ArrayList<>();
        j.path("materials").forEach(node -> materials.add(Material.valueOf(node.asText())));
        JsonNode customer = j.path("customer");
        return new NewCase(m.applicationNo(), j.path("serviceType").asText(),
                optionalText(customer, "id"), customer.path("name").asText(), optionalText(customer, "contactName"),
                optionalText(customer, "phone"), optionalText(customer, "email"),
                j.path("site").path("address").asText(), station,
                new BigDecimal(j.path("supplyVoltageKv").asText()), j.path("transformerKva").asInt(),
                j.path("existingKva").asInt(0), j.path("powerSources").asInt(),
                materials,
                j.hasNonNull("requestedDate") ? LocalDate.parse(j.get("requestedDate").asText()) : null,
                m.time("submittedAt"));
    }

    private static String optionalText(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
