package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.workflow.Effect.ContractDue;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitStarted;
import cn.yekuo.hub.domain.workflow.Effect.FormalityRecorded;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.COMPLETED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FormalitiesTest {

    /** One step towards energization: a formality, or the passed acceptance. */
    enum StepKind {
        FEES(d -> d.fees()), CONTRACT(d -> d.contract()), ARREARS(d -> d.arrears()), ACCEPTANCE(null);

        final Function<CaseDriver, Command> command;

        StepKind(Function<CaseDriver, Command> command) {
            this.command = command;
        }

        void apply(CaseDriver d) {
            if (this == ACCEPTANCE) {
                d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);
            } else {
                d.ok(command.apply(d));
            }
        }
    }

    static Stream<Arguments> everyOrder() {
        List<Arguments> orders = new ArrayList<>();
        permutations(new ArrayList<>(List.of(StepKind.values())), new ArrayList<>(), orders);
        return orders.stream();
    }

    private static void permutations(List<StepKind> rest, List<StepKind> prefix, List<Arguments> out) {
        if (rest.isEmpty()) {
            out.add(Arguments.of(List.copyOf(prefix)));
            return;
        }
        for (StepKind k : List.copyOf(rest)) {
            prefix.add(k);
            rest.remove(k);
            permutations(rest, prefix, out);
            rest.add(k);
            prefix.remove(prefix.size() - 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOrder")
    void energization_opens_when_the_last_of_acceptance_fees_contract_and_arrears_is_done_in_any_order(List<StepKind> order) {
        CaseDriver d = CaseDriver.accepted().toAcceptance();

        for (int i = 0; i < order.size(); i++) {
            assertThat(d.state.stage()).isNotEqualTo(Stage.ENERGIZATION);
            assertThat(d.state.openTask(TaskKind.ENERGIZATION)).isEmpty();
            order.get(i).apply(d);
        }

        OffsetDateTime last = d.clock;
        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
        assertThat(d.effectsOf(StageChanged.class)).last()
                .isEqualTo(new StageChanged(Stage.CONTRACT, Stage.ENERGIZATION, last, null));
        assertThat(d.effectsOf(NodeStarted.class))
                .containsExactly(new NodeStarted(Node.ENERGIZATION, List.of(Unit.CUSTOMER_CENTER), last));
        assertThat(d.state.customerWait()).isNull();
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.ENERGIZATION, last));
    }

    @Test
    void energization_waits_until_arrears_are_cleared() {
        CaseDriver d = CaseDriver.accepted().toContract();
        d.ok(d.fees());
        d.ok(d.contract());

        assertThat(d.state.stage()).isEqualTo(Stage.CONTRACT);
        assertThat(d.state.isWaitingForCustomer()).isTrue();
        assertThat(d.state.openTasks()).isEmpty();
        assertThat(d.state.openNode()).isNull();

        d.ok(d.arrears());
        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
    }

    @Test
    void energization_waits_for_the_acceptance_even_when_all_formalities_are_done() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.ok(d.fees());
        d.ok(d.contract());
        d.ok(d.arrears());
        assertThat(d.state.stage()).isEqualTo(Stage.CONSTRUCTION);
        d.answer(TaskKind.CONSTRUCTION, COMPLETED);
        assertThat(d.state.stage()).isEqualTo(Stage.ACCEPTANCE);

        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);

        OffsetDateTime at = d.clock;
        assertThat(d.effectsOf(StageChanged.class)).containsExactly(
                new StageChanged(Stage.ACCEPTANCE, Stage.CONTRACT, at, null),
                new StageChanged(Stage.CONTRACT, Stage.ENERGIZATION, at, null));
        assertThat(d.effectsOf(CustomerWaitStarted.class)).as("nothing to wait for").isEmpty();
        assertThat(d.effectsOf(ContractDue.class)).hasSize(1);
    }

    @Test
    void formalities_are_accepted_as_early_as_the_scheme_stage() {
        CaseDriver d = CaseDriver.accepted();
        d.ok(d.fees());
        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.FEES_SETTLED, d.clock));
        d.toDesign();
        d.ok(d.contract());
        d.answer(TaskKind.DESIGN, DONE).answer(TaskKind.DESIGN_REVIEW, APPROVED);
        d.ok(d.arrears());

        assertThat(d.state.formalities().allDone()).isTrue();
        assertThat(d.state.formalities().feesAmount()).isEqualByComparingTo(new BigDecimal("12800"));
        assertThat(d.state.stage()).isEqualTo(Stage.CONSTRUCTION);
    }

    @Test
    void a_formality_already_recorded_is_refused_as_already_done() {
        CaseDriver d = CaseDriver.accepted().toContract();
        d.ok(d.fees());

        Refused r = d.refused(d.fees());

        assertThat(r.code()).isEqualTo(Refused.ALREADY_DONE);
        assertThat(r.message()).contains("FEES_SETTLED");
    }

    @Test
    void each_formality_is_refused_when_repeated() {
        CaseDriver d = CaseDriver.accepted();
        d.ok(d.fees());
        d.ok(d.contract());
        d.ok(d.arrears());

        assertThat(d.refused(d.fees()).code()).isEqualTo(Refused.ALREADY_DONE);
        assertThat(d.refused(d.contract()).code()).isEqualTo(Refused.ALREADY_DONE);
        assertThat(d.refused(d.arrears()).code()).isEqualTo(Refused.ALREADY_DONE);
    }

    @Test
    void formalities_are_refused_before_acceptance_of_the_application() {
        CaseDriver d = CaseDriver.awaiting(cn.yekuo.hub.domain.Material.SITE_PLAN);

        assertThat(d.refused(d.fees()).code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(d.refused(d.contract()).code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(d.refused(d.arrears()).code()).isEqualTo(Refused.INVALID_STATE);
    }

    @Test
    void formalities_are_refused_once_energization_has_opened() {
        CaseDriver d = CaseDriver.accepted().toEnergization();

        Refused r = d.refused(d.fees());

        assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(r.message()).contains("ENERGIZATION");
    }

    @Test
    void the_contract_wait_names_only_what_the_customer_still_owes() {
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        d.ok(d.fees());

        d.answer(TaskKind.COMPLETION_ACCEPTANCE, APPROVED);

        assertThat(d.state.customerWait().reason()).contains("contract, arrears").doesNotContain("fees");
    }
}
