package cn.yekuo.hub.domain.workflow;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.ServiceType;
import cn.yekuo.hub.domain.Stage;
import cn.yekuo.hub.domain.TaskKind;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable snapshot of a case as the process manager sees it. Nullable fields: {@code meterNo},
 * {@code energizedAt} (until energized), {@code customerWait} (not waiting), {@code openNode} (no
 * utility clock running). Collections are unmodifiable copies; {@code tasks} is ordered by Tn.
 */
public record CaseState(
        String caseNo,
        Stage stage,
        ServiceType serviceType,
        int powerSources,
        Set<Material> missingMaterials,
        List<Task> tasks,
        Formalities formalities,
        Map<String, String> scheme,
        List<AcceptanceResult> acceptances,
        String meterNo,
        OffsetDateTime energizedAt,
        CustomerWait customerWait,
        OpenNode openNode) {

    public CaseState {
        Objects.requireNonNull(caseNo, "caseNo");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(serviceType, "serviceType");
        if (powerSources < 1) {
            throw new IllegalArgumentException("powerSources must be at least 1: " + powerSources);
        }
        missingMaterials = materials(missingMaterials);
        tasks = List.copyOf(tasks);
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).no() != i + 1) {
                throw new IllegalArgumentException("tasks must be numbered T1..Tn in order");
            }
        }
        Objects.requireNonNull(formalities, "formalities");
        scheme = Task.copy(scheme);
        acceptances = List.copyOf(acceptances);
    }

    /**
     * A case just received: nothing decided yet. {@code missing} is what the checklist lacks (see
     * {@link #missingFor}). The intake then applies {@code Accept}/{@code ConfirmMaterials}, or uses
     * the factories of {@link CaseWorkflow}.
     */
    public static CaseState received(String caseNo, ServiceType type, int powerSources, Collection<Material> missing) {
        return new CaseState(caseNo, Stage.RECEIVED, type, powerSources, materials(missing), List.of(),
                Formalities.NONE, Map.of(), List.of(), null, null, null, null);
    }

    /** The checklist (docs/domain.md): required materials for the type that were not supplied. */
    public static Set<Material> missingFor(ServiceType type, Collection<Material> supplied) {
        EnumSet<Material> missing = EnumSet.noneOf(Material.class);
        for (Material m : Material.values()) {
            if (m.isRequiredFor(type) && !supplied.contains(m)) {
                missing.add(m);
            }
        }
        return Collections.unmodifiableSet(missing);
    }

    public Optional<Task> task(int no) {
        return no >= 1 && no <= tasks.size() ? Optional.of(tasks.get(no - 1)) : Optional.empty();
    }

    public List<Task> openTasks() {
        return tasks.stream().filter(Task::isOpen).toList();
    }

    public Optional<Task> openTask(TaskKind kind) {
        return tasks.stream().filter(t -> t.isOpen() && t.kind() == kind).findFirst();
    }

    /** The most recent task of that kind, whatever its status. */
    public Optional<Task> latestTask(TaskKind kind) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            if (tasks.get(i).kind() == kind) {
                return Optional.of(tasks.get(i));
            }
        }
        return Optional.empty();
    }

    public int nextTaskNo() {
        return tasks.size() + 1;
    }

    public boolean acceptancePassed() {
        return acceptances.stream().anyMatch(AcceptanceResult::passed);
    }

    public boolean isWaitingForCustomer() {
        return customerWait != null;
    }

    // ---- withers (package-private: only the workflow moves a case) ----

    CaseState withStage(Stage s) {
        return new CaseState(caseNo, s, serviceType, powerSources, missingMaterials, tasks, formalities, scheme,
                acceptances, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withMissingMaterials(Set<Material> m) {
        return new CaseState(caseNo, stage, serviceType, powerSources, m, tasks, formalities, scheme,
                acceptances, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withTasks(List<Task> t) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, t, formalities, scheme,
                acceptances, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withFormalities(Formalities f) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, f, scheme,
                acceptances, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withScheme(Map<String, String> s) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, formalities, s,
                acceptances, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withAcceptances(List<AcceptanceResult> a) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, formalities, scheme,
                a, meterNo, energizedAt, customerWait, openNode);
    }

    CaseState withEnergized(String meter, OffsetDateTime at) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, formalities, scheme,
                acceptances, meter, at, customerWait, openNode);
    }

    CaseState withCustomerWait(CustomerWait w) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, formalities, scheme,
                acceptances, meterNo, energizedAt, w, openNode);
    }

    CaseState withOpenNode(OpenNode n) {
        return new CaseState(caseNo, stage, serviceType, powerSources, missingMaterials, tasks, formalities, scheme,
                acceptances, meterNo, energizedAt, customerWait, n);
    }

    private static Set<Material> materials(Collection<Material> m) {
        EnumSet<Material> set = EnumSet.noneOf(Material.class);
        if (m != null) {
            set.addAll(m);
        }
        return Collections.unmodifiableSet(set);
    }
}
