package cn.yekuo.hub.documents;

import cn.yekuo.hub.rendering.DocumentData;
import cn.yekuo.hub.rendering.DocumentType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.cases.CaseAssignments;
import cn.yekuo.hub.cases.CaseRecord;
import cn.yekuo.hub.cases.Roster;
import cn.yekuo.hub.cases.CaseStore;
import cn.yekuo.hub.config.HubProperties;
import cn.yekuo.hub.rendering.DocumentData.Acceptance;
import cn.yekuo.hub.rendering.DocumentData.Application;
import cn.yekuo.hub.rendering.DocumentData.Contract;
import cn.yekuo.hub.rendering.DocumentData.Customer;
import cn.yekuo.hub.rendering.DocumentData.Energization;
import cn.yekuo.hub.rendering.DocumentData.Fee;
import cn.yekuo.hub.rendering.DocumentData.Issuer;
import cn.yekuo.hub.rendering.DocumentData.Limits;
import cn.yekuo.hub.rendering.DocumentData.Metering;
import cn.yekuo.hub.rendering.DocumentData.PowerSource;
import cn.yekuo.hub.rendering.DocumentData.Representative;
import cn.yekuo.hub.rendering.DocumentData.Scheme;
import cn.yekuo.hub.rendering.DocumentData.SourceRole;
import cn.yekuo.hub.rendering.DocumentData.Step;
import cn.yekuo.hub.domain.SchemeItems;
import cn.yekuo.hub.domain.TaskKind;
import cn.yekuo.hub.domain.Unit;
import cn.yekuo.hub.domain.time.DayKind;
import cn.yekuo.hub.domain.time.Node;
import cn.yekuo.hub.domain.time.TimeLimitRule;
import cn.yekuo.hub.domain.time.TimeLimitRules;
import cn.yekuo.hub.domain.workflow.AcceptanceResult;
import cn.yekuo.hub.domain.workflow.CaseState;
import cn.yekuo.hub.domain.workflow.CaseWorkflow;
import cn.yekuo.hub.domain.workflow.Task;
import cn.yekuo.hub.domain.workflow.TaskResult;

/**
 * Fills {@link DocumentData} for a case: the application as stored, the workflow state (scheme fields,
 * acceptances, formalities, meter), the time-limit rule in force and the issuer from {@code yk.documents.*} with the case's
 * representative ({@code yk.representatives}).
 */
@Component
public class CaseDocumentData {

    /** Utility steps on the contact card, in order, with when each clock starts. */
    private static final List<Map.Entry<Node, String>> STEPS = List.of(
            Map.entry(Node.SCHEME_REPLY, "受理之日起"),
            Map.entry(Node.DESIGN_REVIEW, "受理设计审核申请之日起"),
            Map.entry(Node.MID_INSPECTION, "受理中间检查申请之日起"),
            Map.entry(Node.COMPLETION_ACCEPTANCE, "受理竣工验收申请之日起"),
            Map.entry(Node.ENERGIZATION, "竣工验收合格且缴费、签订合同、结清欠费后"));

    private final CaseStore cases;
    private final DocumentArchive archive;
    private final TimeLimitRules rules;
    private final HubProperties hub;
    private final CaseAssignments assignments;

    public CaseDocumentData(CaseStore cases, DocumentArchive archive, TimeLimitRules rules, HubProperties hub,
                            CaseAssignments assignments) {
        this.assignments = assignments;
        this.cases = cases;
        this.archive = archive;
        this.rules = rules;
        this.hub = hub;
    }

    /**
     * The data of {@code type} for the case as it is after the transition. {@code round} selects the acceptance
     * (1 = first) for {@link DocumentType#ACCEPTANCE_OPINION}.
     */
    public DocumentData build(DocumentType type, CaseRecord c, CaseState state, String documentNo, OffsetDateTime now,
                              int round) {
        ZoneId zone = hub.businessZone();
        LocalDate today = now.atZoneSameInstant(zone).toLocalDate();
        Application application = application(c, state, zone);
        DocumentData d = DocumentData.of(c.caseNo(), documentNo, today, issuer(c), customer(c), application)
                .withLimits(limits(state.powerSources(), application.acceptedOn()));
        return switch (type) {
            case MATERIALS_NOTICE -> d.withMissingMaterials(List.copyOf(state.missingMaterials()));
            case CONTACT_CARD -> d.withStepsAhead(steps(state.powerSources(), application.acceptedOn()));
            case SCHEME_REPLY -> d.withScheme(scheme(state, application, today));
            case ACCEPTANCE_OPINION -> d.withScheme(scheme(state, application, schemeDate(c, today)))
                    .withAcceptance(acceptance(state, round, zone));
            case CONTRACT, ASSET_TRANSFER_AGREEMENT -> {
                Scheme scheme = scheme(state, application, schemeDate(c, today));
                yield d.withScheme(scheme).withContract(contract(documentNo));
            }
            case ENERGIZATION_NOTICE -> d.withScheme(scheme(state, application, schemeDate(c, today)))
                    .withEnergization(new Energization(state.meterNo(),
                    (state.energizedAt() == null ? now : state.energizedAt()).atZoneSameInstant(zone).toLocalDateTime(),
                    archive.documentNumber(c.id(), DocumentType.CONTRACT).orElse(null)));
        };
    }

    /** The supply company, and the case's representative as stored now (read again: the caller's record may predate it). */
    private Issuer issuer(CaseRecord c) {
        HubProperties.Documents d = hub.documents();
        Roster.Representative rep = assignments.of(c.id());
        return new Issuer(d.companyName(), d.companyAddress(), d.hotline(),
                new Representative(rep.name(), rep.phone(), rep.email()));
    }

    private static Customer customer(CaseRecord c) {
        CaseRecord.Customer k = c.customer();
        return new Customer(k.id(), k.name(), k.contactName(), k.phone(), k.email(), c.siteAddress());
    }

    private Application application(CaseRecord c, CaseState state, ZoneId zone) {
        CaseStore.Installation installation = cases.installation(c.id());
        OffsetDateTime accepted = c.acceptedAt() != null ? c.acceptedAt() : c.submittedAt();
        return new Application(c.applicationNo(), state.serviceType(), accepted.atZoneSameInstant(zone).toLocalDate(),
                installation.supplyVoltageKv().intValue(), installation.transformerKva(), installation.existingKva(),
                state.powerSources(), installation.requestedDate());
    }

    /** What the letters promise, from the rule set in force on the acceptance date (none where it has no row). */
    Limits limits(int powerSources, LocalDate acceptedOn) {
        int sources = Math.min(2, Math.max(1, powerSources));
        return new Limits(limitText(Node.DESIGN_REVIEW, sources, acceptedOn), limitText(Node.COMPLETION_ACCEPTANCE, sources, acceptedOn),
                limitText(Node.ENERGIZATION, sources, acceptedOn), rules.schemeValidityMonths(acceptedOn));
    }

    private String limitText(Node node, int powerSources, LocalDate acceptedOn) {
        return rules.ruleFor(node, powerSources, acceptedOn).map(CaseDocumentData::limitText).orElse(null);
    }

    /** 10个工作日, 5日: the rule's limit as the letters and the contact card print it. */
    private static String limitText(TimeLimitRule rule) {
        return rule.limit() + (rule.days() == DayKind.WORKING ? "个工作日" : "日");
    }

    /** The utility's steps ahead with their limits from the rule set in force on the acceptance date. */
    List<Step> steps(int powerSources, LocalDate acceptedOn) {
        List<Step> steps = new ArrayList<>();
        for (Map.Entry<Node, String> step : STEPS) {
            Optional<TimeLimitRule> rule = rules.ruleFor(step.getKey(), Math.min(2, Math.max(1, powerSources)), acceptedOn);
            String limit = rule.map(CaseDocumentData::limitText).orElse("—");
            String responsible = rule.map(r -> responsible(r.responsible())).filter(s -> !s.isBlank()).orElse("供电企业");
            steps.add(new Step(step.getKey().chinese(), responsible, limit, step.getValue()));
        }
        return steps;
    }

    private static String responsible(List<String> codes) {
        List<String> names = new ArrayList<>();
        for (String code : codes) {
            try {
                names.add(Unit.fromCode(code).chinese());
            } catch (IllegalArgumentException e) {
                names.add(TimeLimitRules.SUPPLY_STATION.equals(code) ? "供电所" : code);
            }
        }
        return String.join("、", names);
    }

    /** The scheme as the units answered it (docs/contract.md §2.4); a value not answered stays null, never made up. */
    private Scheme scheme(CaseState state, Application application, LocalDate notifiedOn) {
        Map<String, String> f = state.scheme();
        List<PowerSource> sources = new ArrayList<>();
        String source = f.getOrDefault("SOURCE", "");
        String[] parts = source.split("[;；]");
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isBlank()) {
                sources.add(new PowerSource(sources.isEmpty() ? SourceRole.MAIN : SourceRole.STANDBY, parts[i].strip()));
            }
        }
        List<Fee> fees = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        parseYuan(f.get("FEES")).ifPresentOrElse(amount -> fees.add(new Fee("业务费用", amount)),
                () -> {
                    if (f.get("FEES") != null && !f.get("FEES").isBlank()) {
                        notes.add("业务费用：" + f.get("FEES"));
                    }
                });
        for (TaskKind kind : List.of(TaskKind.SCHEME_TECHNICAL, TaskKind.SCHEME_BUSINESS)) {
            state.tasks().stream().filter(t -> t.kind() == kind && t.closedWith(TaskResult.APPROVED))
                    .reduce((a, b) -> b).map(Task::fields).map(m -> m.get("NOTE"))
                    .filter(n -> !n.isBlank()).ifPresent(notes::add);
        }
        Metering metering = new Metering(f.get("METERING"), f.get("METERING_POINT"), ratio(f.get("CT_RATIO")),
                ratio(f.get("PT_RATIO")), f.get("ACCURACY_CLASS"));
        boolean assetTransfer = isYes(f.get("ASSET_TRANSFER"));
        return new Scheme(SchemeItems.capacity(f.get("APPROVED_CAPACITY")).orElse(null), sources,
                f.get("CONNECTION_POINT"), f.get("CONNECTION_METHOD"), f.get("OWNERSHIP_BOUNDARY"),
                readable(f.get("TRANSFORMER"), SchemeItems::transformer), readable(f.get("WORKS"), SchemeItems::work),
                metering, f.get("NATURE_OF_USE"), f.get("TARIFF"),
                SchemeItems.powerFactor(f.get("POWER_FACTOR")).orElse(null), assetTransfer,
                assetTransfer ? readable(f.get("ASSET"), SchemeItems::asset) : List.of(), fees, notifiedOn, notes);
    }

    /** The items of a list answer the reply check accepted (an unreadable one cannot have passed it). */
    private static <T> List<T> readable(String value, java.util.function.Function<String, Optional<T>> parser) {
        return SchemeItems.items(value).stream().map(parser).flatMap(Optional::stream).toList();
    }

    private static String ratio(String value) {
        return value == null ? null : SchemeItems.ratio(value).orElse(value);
    }

    /** The date the scheme reply was issued, for the contract; today when none is archived. */
    private LocalDate schemeDate(CaseRecord c, LocalDate today) {
        List<OffsetDateTime> at = archive.schemeReplyIssuedAt(c.id());
        return at.isEmpty() ? today : at.get(0).atZoneSameInstant(hub.businessZone()).toLocalDate();
    }

    /** The contract's number is its document number: the same on every version, the agreement and the notice. */
    private Contract contract(String documentNo) {
        HubProperties.Documents d = hub.documents();
        return new Contract(documentNo, null, d.contractTermYears(), null, d.settlement());
    }

    private static Acceptance acceptance(CaseState state, int round, ZoneId zone) {
        List<AcceptanceResult> all = state.acceptances();
        AcceptanceResult a = all.get(Math.min(Math.max(round, 1), all.size()) - 1);
        // a joint round: the note of each unit that wrote one, named when more than one did
        List<Task> units = state.task(a.taskNo()).map(t -> CaseWorkflow.round(state, t)).orElse(List.of());
        List<Task> noted = units.stream().filter(t -> t.fields().get("NOTE") != null && !t.fields().get("NOTE").isBlank()).toList();
        String note = noted.isEmpty() ? null : noted.size() == 1 ? noted.get(0).fields().get("NOTE")
                : noted.stream().map(t -> t.unit().chinese() + "：" + t.fields().get("NOTE").strip()).collect(Collectors.joining("；"));
        return new Acceptance(round, a.at().atZoneSameInstant(zone).toLocalDate(), a.passed(), a.defects(), note,
                Unit.PRODUCTION.chinese() + "、" + Unit.MARKETING.chinese());
    }

    static boolean isYes(String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        return v.equals("YES") || v.equals("是") || v.equals("Y") || v.equals("TRUE");
    }

    /** "12800", "12,800.00元", "¥12800" → 12800; empty when not a plain amount. */
    static Optional<BigDecimal> parseYuan(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
                .replaceAll("\\s*元$", "").strip();
        try {
            return t.isEmpty() ? Optional.empty() : Optional.of(new BigDecimal(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
