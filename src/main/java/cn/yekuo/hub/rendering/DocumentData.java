package cn.yekuo.hub.rendering;

import cn.yekuo.hub.domain.Material;
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
     * Metering (计量). {@code method} is the METERING reply, e.g. 高供高计; the others are optional details.
     *
     * @param method        高供高计 / 高供低计
     * @param point         metering point, e.g. 10kV进线柜
     * @param ctRatio       current transformer ratio, e.g. 50/5
     * @param accuracyClass e.g. 有功0.5S级、无功2级
     */
    public record Metering(String method, String point, String ctRatio, String accuracyClass) {
    }

    /** One fee line (业务费用). */
    public record Fee(String item, BigDecimal amount) {
        public Fee {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(amount, "amount");
        }
    }

    /**
     * The supply scheme, combining production's technical reply (SOURCE, CONNECTION_POINT, OWNERSHIP_BOUNDARY)
     * and marketing's business reply (METERING, TARIFF, ASSET_TRANSFER, FEES).
     *
     * @param approvedKva           approved capacity
     * @param sources               SOURCE: one per source, main first
     * @param connectionPoint       CONNECTION_POINT
     * @param ownershipBoundary     OWNERSHIP_BOUNDARY
     * @param receivingInstallation receiving installation (受电装置), e.g. 10kV配电室, 1×800kVA
     * @param metering              METERING
     * @param tariff                TARIFF, e.g. 大工业用电
     * @param assetTransfer         ASSET_TRANSFER
     * @param fees                  FEES: lines, or a single line 业务费用
     * @param notifiedOn            date the scheme is notified; valid from it for {@link Limits#schemeValidityMonths()}
     * @param notes                 further requirements of the units, printed as a list, may be empty
     */
    public record Scheme(int approvedKva, List<PowerSource> sources, String connectionPoint,
                         String ownershipBoundary, String receivingInstallation, Metering metering, String tariff,
                         boolean assetTransfer, List<Fee> fees, LocalDate notifiedOn, List<String> notes) {
        public Scheme {
            sources = sources == null ? List.of() : List.copyOf(sources);
            fees = fees == null ? List.of() : List.copyOf(fees);
            notes = notes == null ? List.of() : List.copyOf(notes);
            Objects.requireNonNull(notifiedOn, "notifiedOn");
            Objects.requireNonNull(metering, "metering");
        }

        public BigDecimal totalFees() {
            return fees.stream().map(Fee::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
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

    /** One transformer of the customer's installation. */
    public record Transformer(String model, int kva, int quantity) {
    }

    /** One asset handed over to the supply company under the asset transfer agreement. */
    public record TransferredAsset(String name, String specification, String quantity, String location,
                                   BigDecimal bookValue) {
        public TransferredAsset {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The power supply and use contract (and, when assets transfer, its agreement).
     *
     * @param contractNo           contract number
     * @param natureOfUse          nature of use / industry (用电性质), e.g. 工业用电（新材料制造）
     * @param transformers         transformer list
     * @param powerFactorStandard  power-factor standard, e.g. 0.90
     * @param emergencySelfSupply  the customer's emergency/self-supply arrangement, may be null
     * @param termYears            term of the contract in years
     * @param effectiveFrom        first day of the term, may be null (date of signing)
     * @param settlement           settlement method, e.g. 按月抄表结算，每月25日前交清电费
     * @param assets               assets transferred (ASSET_TRANSFER = yes), empty otherwise
     */
    public record Contract(String contractNo, String natureOfUse, List<Transformer> transformers,
                           BigDecimal powerFactorStandard, String emergencySelfSupply, int termYears,
                           LocalDate effectiveFrom, String settlement, List<TransferredAsset> assets) {
        public Contract {
            Objects.requireNonNull(contractNo, "contractNo");
            transformers = transformers == null ? List.of() : List.copyOf(transformers);
            assets = assets == null ? List.of() : List.copyOf(assets);
        }

        public int transformerKva() {
            return transformers.stream().mapToInt(t -> t.kva() * Math.max(1, t.quantity())).sum();
        }
    }

    /**
     * Meter installation and energization (the customer-center's reply).
     *
     * @param meterNo     METER_NO
     * @param energizedAt ENERGIZED_AT
     * @param contractNo  the contract in force, may be null
     */
    public record Energization(String meterNo, LocalDateTime energizedAt, String contractNo) {
        public Energization {
            Objects.requireNonNull(energizedAt, "energizedAt");
        }
    }
}
