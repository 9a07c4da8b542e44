package cn.yekuo.hub.rendering;

import cn.yekuo.hub.domain.Material;
import cn.yekuo.hub.domain.SchemeItems.Asset;
import cn.yekuo.hub.domain.SchemeItems.Transformer;
import cn.yekuo.hub.domain.SchemeItems.Work;
import cn.yekuo.hub.domain.SchemeItems.WorkKind;
import cn.yekuo.hub.domain.ServiceType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Everything a customer document may show, filled by the caller from the case, the units' replies and
 * configuration. Plain immutable values: the templates only read them, and every value is HTML-escaped when it
 * is written into a template.
 *
 * <p>The header ({@code caseNo}, {@code documentNo}, {@code issueDate}), {@link Issuer}, {@link Customer} and
 * {@link Application} are needed by every document; each section below is needed only by the documents named
 * on it and may be {@code null} otherwise ({@link DocumentRenderer} says which one is missing). Optional text
 * fields may be {@code null} or blank; the templates then print a line to fill in by hand or leave them out.
 *
 * @param caseNo         the hub's case number, e.g. {@code YK-2026-000017}
 * @param documentNo     the document number, e.g. {@code DocumentType.SCHEME_REPLY.documentNumber(2026, 17)}
 * @param issueDate      date printed on the document
 * @param issuer         the supply company and the case's customer representative (from configuration)
 * @param customer       the customer (from the application)
 * @param application    the application (from the billing message)
 * @param missingMaterials {@link DocumentType#MATERIALS_NOTICE}: what the customer must still supply
 * @param stepsAhead     {@link DocumentType#CONTACT_CARD}: steps ahead and their time limits (from the rule table)
 * @param scheme         {@link DocumentType#SCHEME_REPLY}, {@link DocumentType#CONTRACT}: the combined scheme
 * @param acceptance     {@link DocumentType#ACCEPTANCE_OPINION}: this round's result
 * @param contract       {@link DocumentType#CONTRACT}, {@link DocumentType#ASSET_TRANSFER_AGREEMENT}
 * @param energization   {@link DocumentType#ENERGIZATION_NOTICE}
 * @param limits         the time limits the letters promise, from the rule set in force for the case
 */
public record DocumentData(
        String caseNo,
        String documentNo,
        LocalDate issueDate,
        Issuer issuer,
        Customer customer,
        Application application,
        List<Material> missingMaterials,
        List<Step> stepsAhead,
        Scheme scheme,
        Acceptance acceptance,
        Contract contract,
        Energization energization,
        Limits limits) {

    public DocumentData {
        Objects.requireNonNull(caseNo, "caseNo");
        Objects.requireNonNull(documentNo, "documentNo");
        Objects.requireNonNull(issueDate, "issueDate");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(application, "application");
        missingMaterials = missingMaterials == null ? List.of() : List.copyOf(missingMaterials);
        stepsAhead = stepsAhead == null ? List.of() : List.copyOf(stepsAhead);
        limits = limits == null ? Limits.UNSTATED : limits;
    }

    /** The header sections only; add the document's own section with the {@code with…} methods. */
    public static DocumentData of(String caseNo, String documentNo, LocalDate issueDate, Issuer issuer,
                                  Customer customer, Application application) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application,
                List.of(), List.of(), null, null, null, null, Limits.UNSTATED);
    }

    public DocumentData withMissingMaterials(List<Material> value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, value, stepsAhead,
                scheme, acceptance, contract, energization, limits);
    }

    public DocumentData withStepsAhead(List<Step> value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                value, scheme, acceptance, contract, energization, limits);
    }

    public DocumentData withScheme(Scheme value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                stepsAhead, value, acceptance, contract, energization, limits);
    }

    public DocumentData withAcceptance(Acceptance value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                stepsAhead, scheme, value, contract, energization, limits);
    }

    public DocumentData withContract(Contract value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                stepsAhead, scheme, acceptance, value, energization, limits);
    }

    public DocumentData withEnergization(Energization value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                stepsAhead, scheme, acceptance, contract, value, limits);
    }

    public DocumentData withLimits(Limits value) {
        return new DocumentData(caseNo, documentNo, issueDate, issuer, customer, application, missingMaterials,
                stepsAhead, scheme, acceptance, contract, energization, value);
    }

    /** Last day of the scheme's validity: the rule set's validity (12 months unless it says) from the notice. */
    public LocalDate schemeValidUntil() {
        Objects.requireNonNull(scheme, "scheme");
        return scheme.notifiedOn().plusMonths(limits.schemeValidityMonths());
    }

    /**
     * The time limits a letter promises, as printed (e.g. {@code 10个工作日}, {@code 5日}), from the rule set in force
     * for the case; {@code null} where that rule set has no limit for the node, and the letter then names no number.
     *
     * @param designReview         design review (设计审核)
     * @param completionAcceptance completion acceptance and re-acceptance (竣工验收、复验)
     * @param energization         meter installation and energization after a passed acceptance (装表送电)
     * @param schemeValidityMonths how long the scheme stays valid (方案有效期)
     */
    public record Limits(String designReview, String completionAcceptance, String energization, int schemeValidityMonths) {

        /** No case behind the document (samples, placeholders): no number promised, the default validity. */
        public static final Limits UNSTATED = new Limits(null, null, null, 12);

        public Limits {
            if (schemeValidityMonths <= 0) {
                throw new IllegalArgumentException("schemeValidityMonths must be positive: " + schemeValidityMonths);
            }
        }

        /** {@code 12} months prints as 一年, others as N个月. */
        public String schemeValidity() {
            return schemeValidityMonths % 12 == 0 ? yearsInChinese(schemeValidityMonths / 12) : schemeValidityMonths + "个月";
        }

        private static String yearsInChinese(int years) {
            return years == 1 ? "一年" : years == 2 ? "两年" : years + "年";
        }
    }

    /**
     * The supply company (供电人) and the representative handling the case, from configuration.
     *
     * @param companyName    e.g. 国网杭州供电公司东郊供电分公司; letterhead, seal block, PDF author
     * @param address        postal address
     * @param hotline        service hotline, e.g. 95598
     * @param representative the customer representative (客户代表) of the case
     */
    public record Issuer(String companyName, String address, String hotline, Representative representative) {
        public Issuer {
            Objects.requireNonNull(companyName, "companyName");
            Objects.requireNonNull(representative, "representative");
        }
    }

    /** The customer representative (客户代表) and how the customer reaches them. */
    public record Representative(String name, String phone, String email) {
        public Representative {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The customer (用电人).
     *
     * @param customerNo  customer number (户号) in billing; null for a new install until the contract
     * @param name        company name
     * @param contactName the customer's contact person
     * @param address     service address (用电地址)
     */
    public record Customer(String customerNo, String name, String contactName, String phone, String email,
                           String address) {
        public Customer {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The application as received.
     *
     * @param applicationNo  billing's application number
     * @param serviceType    business type (新装/增容/迁移)
     * @param acceptedOn     date the application was received (or accepted)
     * @param supplyVoltageKv requested supply voltage
     * @param requestedKva   transformer capacity applied for
     * @param existingKva    capacity already installed (capacity increase), 0 otherwise
     * @param powerSources   1 (single) or 2 (dual source)
     * @param requestedDate  the customer's wished energization date, may be null
     */
    public record Application(String applicationNo, ServiceType serviceType, LocalDate acceptedOn,
                              int supplyVoltageKv, int requestedKva, int existingKva, int powerSources,
                              LocalDate requestedDate) {
        public Application {
            Objects.requireNonNull(serviceType, "serviceType");
        }

        /** Capacity after the work: requested plus existing for a capacity increase. */
        public int totalKva() {
            return requestedKva + existingKva;
        }

        public String sourcesText() {
            return powerSources >= 2 ? "双电源" : "单电源";
        }
    }

    /**
     * One step ahead on the contact card.
     *
     * @param name        e.g. 供电方案答复
     * @param responsible who owes it, e.g. 供电企业 or 客户
     * @param timeLimit   e.g. 15个工作日 (from the rule table)
     * @param startsWhen  when the clock starts, e.g. 受理之日起
     */
    public record Step(String name, String responsible, String timeLimit, String startsWhen) {
    }

    /** One power source of the scheme: main (主供) or standby (备用), with its substation and line. */
    public record PowerSource(SourceRole role, String substationAndLine) {
        public PowerSource {
            Objects.requireNonNull(role, "role");
        }
    }

    public enum SourceRole {
        MAIN("主供电源"), STANDBY("备用电源");

        private final String chinese;

        SourceRole(String chinese) {
            this.chinese = chinese;
        }

        public String chinese() {
            return chinese;
        }
    }

    /**
     * Metering (计量), as marketing answered it; a value not answered is null and printed as such, never made up.
     *
     * @param method        METERING: 高供高计 / 高供低计
     * @param point         METERING_POINT, e.g. 10kV进线计量柜
     * @param ctRatio       CT_RATIO, e.g. 300/5
     * @param ptRatio       PT_RATIO, e.g. 10000/100; null when there is none (高供低计)
     * @param accuracyClass ACCURACY_CLASS, e.g. 有功0.5S级、无功2级
     */
    public record Metering(String method, String point, String ctRatio, String ptRatio, String accuracyClass) {
    }

    /** One fee line (业务费用). */
    public record Fee(String item, BigDecimal amount) {
        public Fee {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /**
     * The supply scheme, combining production's technical reply and marketing's business reply (docs/contract.md
     * §2.4). Every value is what a unit answered; one not answered is null (or empty) and the templates print it as
     * 无 or — next to its name.
     *
     * @param approvedKva       APPROVED_CAPACITY (核定容量), null when not answered
     * @param sources           SOURCE: one per source, main first
     * @param connectionPoint   CONNECTION_POINT
     * @param connectionMethod  CONNECTION_METHOD (接入方式), e.g. 电缆T接
     * @param ownershipBoundary OWNERSHIP_BOUNDARY
     * @param transformers      TRANSFORMER lines (the receiving installation, 受电装置)
     * @param works             WORKS: new-build and renovation items, empty when 无 or not answered
     * @param metering          METERING, METERING_POINT, CT_RATIO, PT_RATIO, ACCURACY_CLASS
     * @param natureOfUse       NATURE_OF_USE (用电性质)
     * @param tariff            TARIFF, e.g. 大工业用电
     * @param powerFactor       POWER_FACTOR standard, e.g. 0.90
     * @param assetTransfer     ASSET_TRANSFER
     * @param assets            ASSET lines with their book values, empty without a transfer
     * @param fees              FEES: lines, or a single line 业务费用
     * @param notifiedOn        date the scheme is notified; valid from it for {@link Limits#schemeValidityMonths()}
     * @param notes             further requirements of the units, printed as a list, may be empty
     */
    public record Scheme(Integer approvedKva, List<PowerSource> sources, String connectionPoint, String connectionMethod,
                         String ownershipBoundary, List<Transformer> transformers, List<Work> works, Metering metering,
                         String natureOfUse, String tariff, String powerFactor, boolean assetTransfer,
                         List<Asset> assets, List<Fee> fees, LocalDate notifiedOn, List<String> notes) {
        public Scheme {
            sources = sources == null ? List.of() : List.copyOf(sources);
            transformers = transformers == null ? List.of() : List.copyOf(transformers);
            works = works == null ? List.of() : List.copyOf(works);
            assets = assets == null ? List.of() : List.copyOf(assets);
            fees = fees == null ? List.of() : List.copyOf(fees);
            notes = notes == null ? List.of() : List.copyOf(notes);
            Objects.requireNonNull(notifiedOn, "notifiedOn");
            Objects.requireNonNull(metering, "metering");
        }

        public BigDecimal totalFees() {
            return fees.stream().map(Fee::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** Units of all transformer lines. */
        public int transformerCount() {
            return transformers.stream().mapToInt(Transformer::quantity).sum();
        }

        /** kVA of all transformer lines (units × kVA each). */
        public int transformerKva() {
            return transformers.stream().mapToInt(Transformer::totalKva).sum();
        }

        public List<Work> newBuildWorks() {
            return works.stream().filter(w -> w.kind() == WorkKind.NEW_BUILD).toList();
        }

        public List<Work> renovationWorks() {
            return works.stream().filter(w -> w.kind() == WorkKind.RENOVATION).toList();
        }

        public BigDecimal totalBookValue() {
            return assets.stream().map(Asset::bookValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /**
     * One completion acceptance (each round gets its own opinion).
     *
     * @param round       1 for the first acceptance, 2 after the first rectification, …
     * @param inspectedOn date of the inspection
     * @param passed      pass or fail
     * @param defects     DEFECTS (fail): one item each
     * @param note        NOTE of the inspecting unit, may be null
     * @param inspectors  who inspected, e.g. 生产技术部、市场营销部
     */
    public record Acceptance(int round, LocalDate inspectedOn, boolean passed, List<String> defects, String note,
                             String inspectors) {
        public Acceptance {
            defects = defects == null ? List.of() : List.copyOf(defects);
            Objects.requireNonNull(inspectedOn, "inspectedOn");
        }
    }

    /**
     * The power supply and use contract (and, when assets transfer, its agreement); its technical contents are the
     * scheme's ({@link DocumentData#scheme()}).
     *
     * @param contractNo          the contract number: the contract's document number, the same on every version,
     *                            on the agreement and on the energization notice
     * @param emergencySelfSupply the customer's emergency/self-supply arrangement, may be null
     * @param termYears           term of the contract in years
     * @param effectiveFrom       first day of the term, may be null (date of signing)
     * @param settlement          settlement method, e.g. 按月抄表结算，每月25日前交清电费
     */
    public record Contract(String contractNo, String emergencySelfSupply, int termYears, LocalDate effectiveFrom,
                           String settlement) {
        public Contract {
            Objects.requireNonNull(contractNo, "contractNo");
        }
    }

    /**
     * Meter installation and energization (the customer-center's reply).
     *
     * @param meterNo     METER_NO
     * @param energizedAt ENERGIZED_AT
     * @param contractNo  the contract's number (its document number), null when no contract was issued
     */
    public record Energization(String meterNo, LocalDateTime energizedAt, String contractNo) {
        public Energization {
            Objects.requireNonNull(energizedAt, "energizedAt");
        }
    }
}
