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
import cn.yekuo.hub.domain.workflow.Command.SignContract;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
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
                d.passAcceptance();
            } else {
                d.ok(command.apply(d));
            }
        }
    }

    /** Every order of the four steps in which the contract is signed after the acceptance (12 of 24). */
    static Stream<Arguments> everyOrder() {
        List<Arguments> orders = new ArrayList<>();
        permutations(new ArrayList<>(List.of(StepKind.values())), new ArrayList<>(), orders);
        return orders.stream().filter(a -> {
            List<?> order = (List<?>) a.get()[0];
            return order.indexOf(StepKind.ACCEPTANCE) < order.indexOf(StepKind.CONTRACT);
        });
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
    void energization_opens_when_the_last_of_acceptance_fees_contract_and_arrears_is_done_in_any_order_the_contract_after_the_acceptance(
            List<StepKind> order) {
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
                .containsExactly(new NodeStarted(Node.ENERGIZATION,
                        List.of(Unit.CUSTOMER_CENTER, Unit.PRODUCTION, Unit.MARKETING, Unit.CONSTRUCTION), last));
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
    void with_fees_and_arrears_done_early_the_passed_acceptance_waits_in_CONTRACT_for_the_contract_alone() {
        CaseDriver d = CaseDriver.accepted().toConstruction();
        d.ok(d.fees());
        d.ok(d.arrears());
        d.answer(TaskKind.CONSTRUCTION, COMPLETED);

        d.passAcceptance();

        OffsetDateTime at = d.clock;
        String wait = d.state.customerWait().reason();
        assertThat(wait).contains("contract").doesNotContain("fees").doesNotContain("arrears");
        assertThat(d.effectsOf(StageChanged.class)).containsExactly(new StageChanged(Stage.ACCEPTANCE, Stage.CONTRACT, at, wait));
        assertThat(d.effectsOf(ContractDue.class)).hasSize(1);

        d.ok(d.contract());

        assertThat(d.state.stage()).isEqualTo(Stage.ENERGIZATION);
    }

    @Test
    void a_case_whose_contract_was_recorded_before_the_acceptance_under_the_earlier_rule_still_passes_through_CONTRACT() {
        // stored data from before signing was limited to CONTRACT: every formality done while in ACCEPTANCE
        CaseDriver d = CaseDriver.accepted().toAcceptance();
        d.ok(d.fees());
        d.ok(d.arrears());
        d.state = d.state.withFormalities(d.state.formalities().withContract("HT-2026-0001", d.tick()));

        d.passAcceptance();

        OffsetDateTime at = d.clock;
        assertThat(d.effectsOf(StageChanged.class)).containsExactly(
                new StageChanged(Stage.ACCEPTANCE, Stage.CONTRACT, at, null),
                new StageChanged(Stage.CONTRACT, Stage.ENERGIZATION, at, null));
        assertThat(d.effectsOf(CustomerWaitStarted.class)).as("nothing to wait for").isEmpty();
    }

    @Test
    void fees_and_arrears_are_accepted_as_early_as_the_scheme_stage() {
        CaseDriver d = CaseDriver.accepted();
        d.ok(d.fees());
        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.FEES_SETTLED, d.clock));
        d.toDesign();
        d.ok(d.arrears());
        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.ARREARS_CLEARED, d.clock));

        assertThat(d.state.formalities().feesSettled()).isTrue();
        assertThat(d.state.formalities().arrearsCleared()).isTrue();
        assertThat(d.state.formalities().feesAmount()).isEqualByComparingTo(new BigDecimal("12800"));
        assertThat(d.state.stage()).isEqualTo(Stage.DESIGN);
    }

    /** A case resting in each stage before CONTRACT (ACCEPTED is only passed through: a state in it is built). */
    static Stream<Arguments> stagesBeforeContract() {
        List<Arguments> cases = new ArrayList<>();
        for (Actor actor : List.of(Actor.BILLING, Actor.REPRESENTATIVE)) {
            cases.add(Arguments.of(Stage.RECEIVED, actor, (Supplier<CaseDriver>) CaseDriver::received));
            cases.add(Arguments.of(Stage.AWAITING_MATERIALS, actor,
                    (Supplier<CaseDriver>) () -> CaseDriver.awaiting(cn.yekuo.hub.domain.Material.SITE_PLAN)));
            cases.add(Arguments.of(Stage.ACCEPTED, actor, (Supplier<CaseDriver>) () -> {
                CaseDriver d = CaseDriver.received();
                d.state = d.state.withStage(Stage.ACCEPTED);
                return d;
            }));
            cases.add(Arguments.of(Stage.SCHEME, actor, (Supplier<CaseDriver>) CaseDriver::accepted));
            cases.add(Arguments.of(Stage.DESIGN, actor, (Supplier<CaseDriver>) () -> CaseDriver.accepted().toDesign()));
            cases.add(Arguments.of(Stage.CONSTRUCTION, actor, (Supplier<CaseDriver>) () -> CaseDriver.accepted().toConstruction()));
            cases.add(Arguments.of(Stage.ACCEPTANCE, actor, (Supplier<CaseDriver>) () -> CaseDriver.accepted().toAcceptance()));
            cases.add(Arguments.of(Stage.ACCEPTANCE, actor, (Supplier<CaseDriver>) () -> {
                // a failed acceptance: the rectification is open, the acceptance has not passed
                CaseDriver d = CaseDriver.accepted().toAcceptance();
                d.failAcceptance("接地电阻超标");
                return d;
            }));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("stagesBeforeContract")
    void the_contract_signed_before_CONTRACT_is_refused_as_INVALID_STATE_and_changes_nothing(Stage stage, Actor actor,
                                                                                           Supplier<CaseDriver> driver) {
        CaseDriver d = driver.get();
        assertThat(d.state.stage()).isEqualTo(stage);

        Refused r = d.refused(new SignContract(d.tick(), actor, "HT-2027-0042")); // refused() checks the state is unchanged

        assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(r.message()).isEqualTo("CONTRACT_SIGNED is accepted only in CONTRACT, after a passed acceptance; case "
                + d.state.caseNo() + " is " + stage);
        assertThat(d.state.formalities().contractSigned()).isFalse();
        assertThat(CaseWorkflow.acceptsFormality(Formality.CONTRACT_SIGNED, stage)).isFalse();
    }

    @ParameterizedTest(name = "by {0}")
    @EnumSource(value = Actor.class, names = {"BILLING", "REPRESENTATIVE"})
    void the_contract_signed_in_CONTRACT_is_recorded(Actor actor) {
        CaseDriver d = CaseDriver.accepted().toContract();
        OffsetDateTime at = d.tick();

        d.ok(new SignContract(at, actor, "HT-2027-0042"));

        assertThat(d.business()).containsExactly(new FormalityRecorded(Formality.CONTRACT_SIGNED, at));
        assertThat(d.state.formalities().contractNo()).isEqualTo("HT-2027-0042");
        assertThat(d.state.formalities().contractSignedAt()).isEqualTo(at);
        assertThat(d.state.stage()).as("fees and arrears still missing").isEqualTo(Stage.CONTRACT);
    }

    @Test
    void fees_and_arrears_fit_every_stage_from_SCHEME_through_CONTRACT_the_contract_only_CONTRACT() {
        for (Stage stage : Stage.values()) {
            boolean formalities = stage.ordinal() >= Stage.SCHEME.ordinal() && stage.ordinal() <= Stage.CONTRACT.ordinal();
            assertThat(CaseWorkflow.acceptsFormality(Formality.FEES_SETTLED, stage)).as("fees in %s", stage).isEqualTo(formalities);
            assertThat(CaseWorkflow.acceptsFormality(Formality.ARREARS_CLEARED, stage)).as("arrears in %s", stage).isEqualTo(formalities);
            assertThat(CaseWorkflow.acceptsFormality(Formality.CONTRACT_SIGNED, stage)).as("contract in %s", stage)
                    .isEqualTo(stage == Stage.CONTRACT);
        }
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
        CaseDriver early = CaseDriver.accepted();
        early.ok(early.fees());
        early.ok(early.arrears());
        assertThat(early.refused(early.fees()).code()).isEqualTo(Refused.ALREADY_DONE);
        assertThat(early.refused(early.arrears()).code()).isEqualTo(Refused.ALREADY_DONE);

        CaseDriver d = CaseDriver.accepted().toContract();
        d.ok(d.contract());
        assertThat(d.refused(d.contract()).code()).isEqualTo(Refused.ALREADY_DONE);
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

        d.passAcceptance();

        assertThat(d.state.customerWait().reason()).contains("contract, arrears").doesNotContain("fees");
    }
}
