package cn.yekuo.hub.replies.grammar;

/**
 * Why a unit's mail could not be used (docs/contract.md §2: it goes to {@code Quarantine} and the customer
 * representatives are told why). The titles head the quarantine notice; {@link Rejection} carries
 * the specific sentence.
 */
public enum RejectionCode {
    NO_TOKEN("主题中没有任务编号", "No task token in the subject"),
    FORGED_TOKEN("任务编号校验失败", "Task token does not verify"),
    UNKNOWN_CASE("案件或任务不存在", "Unknown case or task"),
    SENDER_NOT_ALLOWED("发件人不在该单位的许可名单中", "Sender not on the unit's allow-list"),
    TASK_CLOSED("任务已关闭", "Task already closed"),
    MISSING_FIELD("缺少必填项", "Required field missing"),
    UNKNOWN_RESULT("无法识别的结论", "Unknown result"),
    RESULT_NOT_EXPECTED("该任务不接受此结论", "Result not expected for this task"),
    /** Added to docs/contract.md §2's list: a field is present but its value cannot be read (amount, date, yes/no). */
    INVALID_VALUE("填写内容无法识别", "Field value not readable"),
    /** Added (issue 15): a field longer than the hub keeps for it (docs/contract.md §2.3); never cut silently. */
    FIELD_TOO_LONG("填写内容过长", "Field value too long"),
    ATTACHMENT_TOO_LARGE("附件过大", "Attachment too large"),
    MAIL_TOO_LARGE("邮件过大", "Mail too large"),
    EMPTY_BODY("正文没有答复内容", "No reply fields in the body"),
    AUTO_REPLY("自动回复或退信", "Automatic reply or bounce"),
    UNREADABLE("邮件无法读取", "Mail cannot be read"),
    /** Added: the reply was valid on its own, but the case's workflow refused it (e.g. the case moved on meanwhile). */
    REFUSED_BY_WORKFLOW("案件当前状态不接受此答复", "The case does not accept this reply now"),
    /** Added (issue 15): the subject carries more than one different token; none of them is used. */
    SEVERAL_TOKENS("主题中有多个不同的任务编号", "Several different task tokens in the subject"),
    /** Added: the receiving server's Authentication-Results do not vouch for the sender (yk.mail.auth-results). */
    SENDER_NOT_AUTHENTICATED("发件人未通过邮件认证", "Sender not authenticated (SPF/DKIM/DMARC)"),
    /** Added: subject over yk.mail.max-subject-chars. */
    SUBJECT_TOO_LONG("邮件主题过长", "Subject too long"),
    /** Added: more header fields than yk.mail.max-headers. */
    TOO_MANY_HEADERS("邮件头过多", "Too many header fields"),
    /** Added: body text over yk.mail.max-body-bytes. */
    BODY_TOO_LARGE("邮件正文过大", "Body too large"),
    /** Added: multiparts nested deeper than yk.mail.max-mime-depth, or more body parts than yk.mail.max-parts. */
    MIME_TOO_COMPLEX("邮件结构过于复杂", "MIME structure too complex"),
    /** Added: reading the mail took longer than yk.mail.read-budget. */
    READ_TIMEOUT("邮件读取超时", "Reading the mail took too long"),
    /** Added: handling failed yk.mail.max-attempts times for a reason other than an outage (poison mail). */
    PROCESSING_FAILED("邮件多次处理失败", "Handling the mail failed repeatedly");

    private final String titleZh;
    private final String titleEn;

    RejectionCode(String titleZh, String titleEn) {
        this.titleZh = titleZh;
        this.titleEn = titleEn;
    }

    public String titleZh() {
        return titleZh;
    }

    public String titleEn() {
        return titleEn;
    }
}
