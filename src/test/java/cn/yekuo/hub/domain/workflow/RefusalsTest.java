package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.support.Replies;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Command.Accept;
import cn.yekuo.hub.domain.workflow.Command.ClearArrears;
import cn.yekuo.hub.domain.workflow.Command.CloseAfterReturnVisit;
import cn.yekuo.hub.domain.workflow.Command.CompleteTask;
import cn.yekuo.hub.domain.workflow.Command.ConfirmMaterials;
import cn.yekuo.hub.domain.workflow.Command.PauseForCustomer;
import cn.yekuo.hub.domain.workflow.Command.RequestAcceptance;
import cn.yekuo.hub.domain.workflow.Command.RequestInspection;
import cn.yekuo.hub.domain.workflow.Command.ResumeFromCustomer;
import cn.yekuo.hub.domain.workflow.Command.SettleFees;
import cn.yekuo.hub.domain.workflow.Command.SignContract;
import cn.yekuo.hub.domain.workflow.Command.SupplementMaterials;
import cn.yekuo.hub.domain.workflow.Command.Withdraw;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.FAILED;
import static cn.yekuo.hub.domain.workflow.TaskResult.INSPECTION_REQUESTED;
import static cn.yekuo.hub.domain.workflow.TaskResult.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal names its reason and leaves the case exactly as it was ({@link CaseDriver#refused}). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusalsTest {

    /** One of every command, for a case whose current open tasks are unknown (task T1 is used). */
    static List<Command> everyCommand(OffsetDateTime at) {
        return List.of(
                new Accept(at, Actor.REPRESENTATIVE),
                new SupplementMaterials(at, Actor.BILLING, Set.of(Material.SITE_PLAN)),
                new ConfirmMaterials(at, Actor.REPRESENTATIVE),
                new CompleteTask(at, Actor.UNIT, 1, APPROVED, CaseDriver.TECHNICAL),
                new RequestInspection(at, Actor.REPRESENTATIVE),
                new RequestAcceptance(at, Actor.REPRESENTATIVE),
                new SettleFees(at, Actor.BILLING, BigDecimal.TEN),
                new SignContract(at, Actor.BILLING, "HT-1"),
                new ClearArrears(at, Actor.BILLING),
                new PauseForCustomer(at, Actor.REPRESENTATIVE, "客户出差"),
                new ResumeFromCustomer(at, Actor.REPRESENTATIVE),
                new Withdraw(at, Actor.BILLING, "项目取消"),
                new CloseAfterReturnVisit(at, Actor.REPRESENTATIVE));
    }

    static CaseDriver withOpen(TaskKind kind) {
        CaseDriver d = CaseDriver.accepted();
        switch (kind) {
            case SCHEME_TECHNICAL, SCHEME_BUSINESS -> { }
            case DESIGN -> d.toDesign();
            case DESIGN_REVIEW -> d.toDesign().answer(TaskKind.DESIGN, DONE);
            case CONSTRUCTION -> d.toConstruction();
            case MID_INSPECTION -> d.toConstruction().answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED);
            case RECTIFICATION -> d.toConstruction().answer(TaskKind.CONSTRUCTION, INSPECTION_REQUESTED)
                    .answer(TaskKind.MID_INSPECTION, FAILED);
            case COMPLETION_ACCEPTANCE, COMPLETION_ACCEPTANCE_MARKETING -> d.toAcceptance();
            case ENERGIZATION, ENERGIZATION_PRODUCTION, ENERGIZATION_MARKETING, ENERGIZATION_CONSTRUCTION -> d.toEnergization();
            default -> throw new IllegalArgumentException(kind.name());
        }
        assertThat(d.state.openTask(kind)).isPresent();
        return d;
    }

    @Test
    void a_closed_case_refuses_every_command() {
        CaseDriver d = CaseDriver.accepted().toEnergized();
        d.ok(new CloseAfterReturnVisit(d.tick(), Actor.REPRESENTATIVE));

        for (Command c : everyCommand(d.tick())) {
            Refused r = d.refused(c);
            assertThat(r.code()).as("%s", c).isEqualTo(Refused.INVALID_STATE);
            assertThat(r.message()).contains("CLOSED");
        }
    }

    @Test
    void a_withdrawn_case_refuses_every_command() {
        CaseDriver d = CaseDriver.accepted();
        d.ok(new Withdraw(d.tick(), Actor.BILLING, "项目取消"));

        for (Command c : everyCommand(d.tick())) {
            assertThat(d.refused(c).code()).as("%s", c).isEqualTo(Refused.INVALID_STATE);
        }
    }

    @Test
    void a_not_eligible_case_refuses_every_command() {
        CaseState notEligible = CaseState.received("YK-9", ServiceType.NEW_INSTALL, 1, Set.of())
                .withStage(Stage.NOT_ELIGIBLE);
        CaseWorkflow workflow = new CaseWorkflow(java.time.ZoneId.of("Asia/Shanghai"));

        for (Command c : everyCommand(CaseDriver.T0)) {
            assertThat(workflow.apply(notEligible, c)).as("%s", c)
                    .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.code()).isEqualTo(Refused.INVALID_STATE));
        }
    }

    @Test
    void a_reply_to_a_task_the_case_does_not_have_is_refused() {
        CaseDriver d = CaseDriver.accepted();

        Refused r = d.refused(new CompleteTask(d.tick(), Actor.UNIT, 9, APPROVED, CaseDriver.TECHNICAL));

        assertThat(r.code()).isEqualTo(Refused.UNKNOWN_TASK);
        assertThat(r.message()).contains("T9");
        assertThat(d.refused(new CompleteTask(d.tick(), Actor.UNIT, 0, APPROVED, Map.of())).code())
                .isEqualTo(Refused.UNKNOWN_TASK);
    }

    @Test
    void a_reply_to_a_closed_task_is_refused() {
        CaseDriver d = CaseDriver.accepted();
        d.answer(TaskKind.SCHEME_TECHNICAL, REJECTED);

        Refused r = d.refused(new CompleteTask(d.tick(), Actor.UNIT, 1, APPROVED, CaseDriver.TECHNICAL));

        assertThat(r.code()).isEqualTo(Refused.TASK_NOT_OPEN);
        assertThat(r.message()).contains("T1", "CLOSED");
    }

    @ParameterizedTest
    @EnumSource(TaskKind.class)
    void a_result_the_task_kind_does_not_expect_is_refused(TaskKind kind) {
        CaseDriver d = withOpen(kind);
        Set<TaskResult> unexpected = EnumSet.complementOf(EnumSet.copyOf(CaseWorkflow.expectedResults(kind)));
        assertThat(unexpected).isNotEmpty();

        for (TaskResult result : unexpected) {
            Refused r = d.refused(d.reply(kind, result, CaseDriver.TECHNICAL));
            assertThat(r.code()).isEqualTo(Refused.UNEXPECTED_RESULT);
            assertThat(r.message()).contains(kind.name(), result.name());
        }
    }

    @Test
    void the_expected_results_are_those_of_the_contract_table() {
        assertThat(CaseWorkflow.expectedResults(TaskKind.SCHEME_TECHNICAL)).containsOnly(APPROVED, REJECTED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.SCHEME_BUSINESS)).containsOnly(APPROVED, REJECTED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.DESIGN)).containsOnly(DONE);
        assertThat(CaseWorkflow.expectedResults(TaskKind.DESIGN_REVIEW)).containsOnly(APPROVED, REJECTED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.CONSTRUCTION))
                .containsOnly(INSPECTION_REQUESTED, TaskResult.COMPLETED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.MID_INSPECTION)).containsOnly(APPROVED, FAILED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.RECTIFICATION)).containsOnly(DONE);
        assertThat(CaseWorkflow.expectedResults(TaskKind.COMPLETION_ACCEPTANCE)).containsOnly(APPROVED, FAILED);
        assertThat(CaseWorkflow.expectedResults(TaskKind.COMPLETION_ACCEPTANCE_MARKETING)).containsOnly(APPROVED, FAILED);
        for (TaskKind energization : CaseWorkflow.ENERGIZATION_ROUND) {
            assertThat(CaseWorkflow.expectedResults(energization)).as("%s", energization).containsOnly(DONE, FAILED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TaskKind.class, names = {"SCHEME_TECHNICAL", "SCHEME_BUSINESS", "ENERGIZATION"})
    void a_positive_reply_missing_any_required_field_is_refused(TaskKind kind) {
        CaseDriver d = withOpen(kind);
        Map<String, String> complete = Replies.with(Replies.with(Map.of(
                "SOURCE", "s", "CONNECTION_POINT", "c", "OWNERSHIP_BOUNDARY", "o",
                "METERING", "m", "TARIFF", "t", "ASSET_TRANSFER", "NO", "FEES", "1",
                "METER_NO", "M1", "ENERGIZED_AT", "2027-03-01 10:30"), Replies.TECHNICAL_FIELDS), Replies.BUSINESS_FIELDS);
        TaskResult positive = kind == TaskKind.ENERGIZATION ? DONE : APPROVED;

        for (String field : kind.requiredFields()) {
            Map<String, String> without = new HashMap<>(complete);
            without.remove(field);
            Refused r = d.refused(d.reply(kind, positive, without));
            assertThat(r.code()).isEqualTo(Refused.MISSING_FIELD);
            assertThat(r.message()).contains(field);

            Map<String, String> blank = new HashMap<>(complete);
            blank.put(field, "  ");
            assertThat(d.refused(d.reply(kind, positive, blank)).code()).as("blank %s", field)
                    .isEqualTo(Refused.MISSING_FIELD);
        }
    }

    @Test
    void a_missing_field_refusal_lists_all_missing_fields() {
        CaseDriver d = CaseDriver.accepted();

        Refused r = d.refused(d.reply(TaskKind.SCHEME_BUSINESS, APPROVED, Map.of("TARIFF", "大工业用电")));

        assertThat(r.message()).contains("METERING, ASSET_TRANSFER, FEES");
    }

    @Test
    void a_negative_reply_needs_no_required_fields() {
        CaseDriver d = CaseDriver.accepted();

        d.answer(TaskKind.SCHEME_BUSINESS, REJECTED);

        assertThat(d.state.task(2).get().result()).isEqualTo(REJECTED);
    }

    @Test
    void an_asset_transfer_that_is_neither_yes_nor_no_is_refused() {
        CaseDriver d = CaseDriver.accepted();
        Map<String, String> business = new HashMap<>(CaseDriver.BUSINESS);
        business.put("ASSET_TRANSFER", "待定");

        Refused r = d.refused(d.reply(TaskKind.SCHEME_BUSINESS, APPROVED, business));

        assertThat(r.code()).isEqualTo(Refused.INVALID_FIELD);
        assertThat(r.message()).contains("ASSET_TRANSFER", "待定");
    }

    @Test
    void an_energization_time_that_cannot_be_read_is_refused() {
        CaseDriver d = CaseDriver.accepted().toEnergization();

        Refused r = d.refused(d.reply(TaskKind.ENERGIZATION, DONE, Map.of("METER_NO", "M1", "ENERGIZED_AT", "明天上午")));

        assertThat(r.code()).isEqualTo(Refused.INVALID_FIELD);
        assertThat(r.message()).contains("ENERGIZED_AT");
    }

    @Test
    void the_representative_can_request_inspection_or_acceptance_only_during_construction() {
        CaseDriver d = CaseDriver.accepted().toDesign();

        assertThat(d.refused(new RequestInspection(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(d.refused(new RequestAcceptance(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INVALID_STATE);
    }

    @Test
    void the_representative_request_is_refused_like_the_reply_while_an_inspection_is_open() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.ok(new RequestInspection(d.tick(), Actor.REPRESENTATIVE));
        assertThat(d.state.openTask(TaskKind.MID_INSPECTION)).isPresent();

        assertThat(d.refused(new RequestInspection(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INSPECTION_OPEN);
        assertThat(d.refused(new RequestAcceptance(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INSPECTION_OPEN);

        d.answer(TaskKind.MID_INSPECTION, APPROVED);
        d.ok(new RequestAcceptance(d.tick(), Actor.REPRESENTATIVE));
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);
    }

    @Test
    void closing_is_refused_before_energization() {
        CaseDriver d = CaseDriver.accepted().toEnergization();

        Refused r = d.refused(new CloseAfterReturnVisit(d.tick(), Actor.REPRESENTATIVE));

        assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(r.message()).contains("ENERGIZATION", "ENERGIZED");
    }

    @Test
    void a_refusal_is_the_same_whenever_it_is_asked() {
        CaseDriver d = CaseDriver.accepted();
        Command c = new CompleteTask(d.tick(), Actor.UNIT, 1, DONE, Map.of());

        assertThat(d.apply(c)).isEqualTo(d.apply(c)).isInstanceOf(Refused.class);
    }
}
