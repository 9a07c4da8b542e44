package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.time.Node;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.workflow.Command.Accept;
import cn.yekuo.hub.domain.workflow.Command.ConfirmMaterials;
import cn.yekuo.hub.domain.workflow.Command.SupplementMaterials;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitEnded;
import cn.yekuo.hub.domain.workflow.Effect.CustomerWaitStarted;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import cn.yekuo.hub.domain.workflow.Outcome.Refused;
import cn.yekuo.hub.domain.workflow.Outcome.Transition;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import static cn.yekuo.hub.domain.Material.EXISTING_CONTRACT;
import static cn.yekuo.hub.domain.Material.PROJECT_APPROVAL;
import static cn.yekuo.hub.domain.Material.PROPERTY_PROOF;
import static cn.yekuo.hub.domain.Material.SITE_PLAN;
import static cn.yekuo.hub.domain.workflow.CaseDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApplicationTest {

    @Test
    void incomplete_materials_put_the_case_in_AWAITING_MATERIALS_waiting_for_the_customer_with_no_clock_running() {
        CaseDriver d = CaseDriver.awaiting(PROPERTY_PROOF, SITE_PLAN);

        String reason = d.state.customerWait().reason();
        assertThat(reason).contains("PROPERTY_PROOF", "SITE_PLAN", "产权证明或租赁合同");
        assertThat(d.business()).containsExactly(
                new StageChanged(Stage.RECEIVED, Stage.AWAITING_MATERIALS, T0, reason),
                new CustomerWaitStarted(reason, T0));
        assertThat(d.state.stage()).isEqualTo(Stage.AWAITING_MATERIALS);
        assertThat(d.state.missingMaterials()).containsExactlyInAnyOrder(PROPERTY_PROOF, SITE_PLAN);
        assertThat(d.state.customerWait().since()).isEqualTo(T0);
        assertThat(d.state.openNode()).isNull();
        assertThat(d.state.tasks()).isEmpty();
    }

    @Test
    void a_case_awaiting_materials_cannot_be_opened_with_nothing_missing() {
        assertThatThrownBy(() -> CaseWorkflow.openAwaitingMaterials("YK-1", ServiceType.NEW_INSTALL, 1, Set.of(),
                T0, Actor.REPRESENTATIVE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_partial_supplement_keeps_the_case_waiting_with_the_remaining_missing_list() {
        CaseDriver d = CaseDriver.awaiting(PROPERTY_PROOF, SITE_PLAN);
        CustomerWait wait = d.state.customerWait();

        d.ok(new SupplementMaterials(d.tick(), Actor.BILLING, Set.of(SITE_PLAN)));

        assertThat(d.state.stage()).isEqualTo(Stage.AWAITING_MATERIALS);
        assertThat(d.state.missingMaterials()).containsExactly(PROPERTY_PROOF);
        assertThat(d.state.customerWait()).as("the wait goes on, not restarted").isEqualTo(wait);
        assertThat(d.business()).isEmpty();
    }

    @Test
    void the_supplement_that_completes_the_materials_ends_the_wait_and_accepts_into_SCHEME() {
        CaseDriver d = CaseDriver.awaiting(PROPERTY_PROOF, SITE_PLAN);
        d.ok(new SupplementMaterials(d.tick(), Actor.BILLING, Set.of(SITE_PLAN)));

        OffsetDateTime at = d.tick();
        d.ok(new SupplementMaterials(at, Actor.BILLING, Set.of(PROPERTY_PROOF, PROJECT_APPROVAL)));

        assertThat(d.business()).containsExactly(
                new CustomerWaitEnded(at),
                new StageChanged(Stage.AWAITING_MATERIALS, Stage.ACCEPTED, at, null),
                new StageChanged(Stage.ACCEPTED, Stage.SCHEME, at, null),
                new TaskOpened(Task.open(1, TaskKind.SCHEME_TECHNICAL, at)),
                new TaskOpened(Task.open(2, TaskKind.SCHEME_BUSINESS, at)),
                new NodeStarted(Node.SCHEME_REPLY, List.of(cn.yekuo.hub.domain.Unit.PRODUCTION,
                        cn.yekuo.hub.domain.Unit.MARKETING), at));
        assertThat(d.state.missingMaterials()).isEmpty();
        assertThat(d.state.customerWait()).isNull();
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.SCHEME_REPLY, at));
    }

    @Test
    void the_representative_can_confirm_the_materials_by_hand() {
        CaseDriver d = CaseDriver.awaiting(PROPERTY_PROOF);
        OffsetDateTime at = d.tick();

        d.ok(new ConfirmMaterials(at, Actor.REPRESENTATIVE));

        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
        assertThat(d.state.missingMaterials()).isEmpty();
        assertThat(d.business()).startsWith(new CustomerWaitEnded(at),
                new StageChanged(Stage.AWAITING_MATERIALS, Stage.ACCEPTED, at, null));
    }

    @Test
    void accept_is_refused_while_materials_are_missing() {
        CaseDriver d = CaseDriver.awaiting(EXISTING_CONTRACT);

        Refused r = d.refused(new Accept(d.tick(), Actor.REPRESENTATIVE));

        assertThat(r.code()).isEqualTo(Refused.MATERIALS_MISSING);
        assertThat(r.message()).contains("EXISTING_CONTRACT");
    }

    @Test
    void a_received_case_with_complete_materials_is_accepted() {
        CaseState received = CaseState.received("YK-2", ServiceType.CAPACITY_INCREASE, 2,
                CaseState.missingFor(ServiceType.CAPACITY_INCREASE, List.of(Material.values())));

        Outcome o = new CaseWorkflow(java.time.ZoneId.of("Asia/Shanghai")).apply(received, new Accept(T0, Actor.SYSTEM));

        assertThat(o).isInstanceOfSatisfying(Transition.class, t -> {
            assertThat(t.next().stage()).isEqualTo(Stage.SCHEME);
            assertThat(t.next().powerSources()).isEqualTo(2);
        });
    }

    @Test
    void the_checklist_depends_on_the_business_type() {
        Set<Material> supplied = Set.of(Material.APPLICATION_FORM, Material.BUSINESS_LICENSE,
                Material.AGENT_AUTHORIZATION, Material.SITE_PLAN);

        assertThat(CaseState.missingFor(ServiceType.NEW_INSTALL, supplied))
                .containsExactly(PROPERTY_PROOF, PROJECT_APPROVAL, Material.EQUIPMENT_LIST);
        assertThat(CaseState.missingFor(ServiceType.CAPACITY_INCREASE, supplied))
                .containsExactly(Material.EQUIPMENT_LIST, EXISTING_CONTRACT);
        assertThat(CaseState.missingFor(ServiceType.RELOCATION, supplied))
                .containsExactly(PROPERTY_PROOF, PROJECT_APPROVAL, EXISTING_CONTRACT);
    }

    @Test
    void materials_can_only_be_supplemented_while_awaiting_materials() {
        CaseDriver d = CaseDriver.accepted();

        Refused r = d.refused(new SupplementMaterials(d.tick(), Actor.BILLING, Set.of(SITE_PLAN)));

        assertThat(r.code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(r.message()).contains("SCHEME", "AWAITING_MATERIALS");
    }

    @Test
    void materials_cannot_be_confirmed_or_accepted_again_once_the_case_is_accepted() {
        CaseDriver d = CaseDriver.accepted();

        assertThat(d.refused(new ConfirmMaterials(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INVALID_STATE);
        assertThat(d.refused(new Accept(d.tick(), Actor.REPRESENTATIVE)).code()).isEqualTo(Refused.INVALID_STATE);
    }
}
