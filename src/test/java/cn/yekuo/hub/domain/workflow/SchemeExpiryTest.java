package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.workflow.Effect.NodeStarted;
import cn.yekuo.hub.domain.workflow.Effect.StageChanged;
import cn.yekuo.hub.domain.workflow.Effect.TaskCancelled;
import cn.yekuo.hub.domain.workflow.Effect.TaskOpened;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static cn.yekuo.hub.domain.workflow.TaskResult.APPROVED;
import static cn.yekuo.hub.domain.workflow.TaskResult.DONE;
import static cn.yekuo.hub.domain.workflow.TaskResult.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

/** 方案有效期: a scheme not followed up (design not gone to review) within its validity lapses and a new one is asked. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SchemeExpiryTest {

    @Test
    void a_lapsed_scheme_sends_the_case_back_to_scheme_with_both_parts_asked_again_under_a_new_clock() {
        CaseDriver d = CaseDriver.accepted().toDesign();
        int design = d.open(TaskKind.DESIGN);
        OffsetDateTime at = d.tick();

        d.ok(new Command.ExpireScheme(at, Actor.SYSTEM));

        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
        assertThat(d.state.scheme()).as("the lapsed scheme's answers are not the new scheme's").isEmpty();
        assertThat(d.state.task(design).get().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(d.state.openTasks()).extracting(Task::kind)
                .containsExactly(TaskKind.SCHEME_TECHNICAL, TaskKind.SCHEME_BUSINESS);
        assertThat(d.state.openNode()).isEqualTo(new OpenNode(Node.SCHEME_REPLY, at));
        assertThat(d.effectsOf(TaskCancelled.class)).hasSize(1);
        assertThat(d.effectsOf(TaskOpened.class)).hasSize(2);
        assertThat(d.effectsOf(StageChanged.class)).containsExactly(
                new StageChanged(Stage.DESIGN, Stage.SCHEME, at, "供电方案已过有效期"));
        assertThat(d.effectsOf(NodeStarted.class)).containsExactly(
                new NodeStarted(Node.SCHEME_REPLY, List.of(Unit.PRODUCTION, Unit.MARKETING), at));
        assertThat(d.effectsOf(Effect.TimelineEntry.class)).extracting(Effect.TimelineEntry::kind)
                .containsExactly("SCHEME_EXPIRED");

        // the new scheme takes the case to design again
        d.toDesign();
        assertThat(d.state.openTask(TaskKind.DESIGN)).isPresent();
    }

    @Test
    void a_design_rejected_at_review_is_open_again_so_the_scheme_can_still_lapse() {
        CaseDriver d = CaseDriver.accepted().toDesign();
        d.answer(TaskKind.DESIGN, DONE);
        d.answer(TaskKind.DESIGN_REVIEW, REJECTED);

        d.ok(new Command.ExpireScheme(d.tick(), Actor.SYSTEM));

        assertThat(d.state.stage()).isEqualTo(Stage.SCHEME);
    }

    @Test
    void a_design_under_review_or_approved_uses_the_scheme_and_it_does_not_lapse() {
        CaseDriver review = CaseDriver.accepted().toDesign();
        review.answer(TaskKind.DESIGN, DONE);
        assertThat(review.refused(new Command.ExpireScheme(review.tick(), Actor.SYSTEM)).code())
                .isEqualTo(Outcome.Refused.INVALID_STATE);

        CaseDriver built = CaseDriver.accepted().toDesign();
        built.answer(TaskKind.DESIGN, DONE);
        built.answer(TaskKind.DESIGN_REVIEW, APPROVED);
        assertThat(built.refused(new Command.ExpireScheme(built.tick(), Actor.SYSTEM)).code())
                .isEqualTo(Outcome.Refused.INVALID_STATE);
    }

    @Test
    void a_case_still_waiting_for_its_first_scheme_has_nothing_to_lapse() {
        CaseDriver d = CaseDriver.accepted();
        assertThat(d.refused(new Command.ExpireScheme(d.tick(), Actor.SYSTEM)).code()).isEqualTo(Outcome.Refused.INVALID_STATE);
    }
}
