package cn.yekuo.hub.rendering;

/**
 * The documents a customer receives (docs/domain.md "Documents the customer receives"), each with its Chinese
 * title, the prefix of its document number and its template under {@code src/main/resources/documents/}.
 *
 * <p>{@link #ASSET_TRANSFER_AGREEMENT} is rendered on its own and appended to the {@link #CONTRACT} by the
 * caller (in memory, PDFBox {@code PDFMergerUtility}) when assets are transferred.
 */
public enum DocumentType {
    MATERIALS_NOTICE("资料补正通知书", "ZLBZ", "materials-notice.ftlh"),
    CONTACT_CARD("业扩服务联系卡", "LXK", "contact-card.ftlh"),
    SCHEME_REPLY("供电方案答复函", "FADF", "scheme-reply.ftlh"),
    ACCEPTANCE_OPINION("竣工验收意见书", "YSYJ", "acceptance-opinion.ftlh"),
    CONTRACT("高压供用电合同", "GYHT", "contract.ftlh"),
    ASSET_TRANSFER_AGREEMENT("资产移交协议", "ZCYJ", "asset-transfer-agreement.ftlh"),
    ENERGIZATION_NOTICE("送电通知书", "SDTZ", "energization-notice.ftlh");

    private final String title;
    private final String numberPrefix;
    private final String template;

    DocumentType(String title, String numberPrefix, String template) {
        this.title = title;
        this.numberPrefix = numberPrefix;
        this.template = template;
    }

    /** Chinese title, as printed on the document and used in the PDF metadata and the mail attachment name. */
    public String title() {
        return title;
    }

    /** Prefix of the document number, e.g. {@code FADF} for 供电方案答复函 (方案答复). */
    public String numberPrefix() {
        return numberPrefix;
    }

    /**
     * A document number in the usual form {@code <prefix>-<year>-<sequence>}, e.g. {@code FADF-2026-000017}.
     * The sequence is the caller's (one counter per type and year, or the case sequence).
     */
    public String documentNumber(int year, long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
        return String.format("%s-%d-%06d", numberPrefix, year, sequence);
    }

    /** File name of the FreeMarker template, relative to {@code documents/} on the classpath. */
    public String template() {
        return template;
    }
}
