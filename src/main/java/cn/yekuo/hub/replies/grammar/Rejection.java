package cn.yekuo.hub.replies.grammar;

import cn.yekuo.hub.tokens.TokenRef;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

import cn.yekuo.hub.domain.TaskKind;

/**
 * One reason a mail was not used: a code for machines and one sentence each in Chinese and English
 * for the customer representatives' quarantine notice.
 */
public record Rejection(RejectionCode code, String messageZh, String messageEn) {

    public static Rejection noToken() {
        return new Rejection(RejectionCode.NO_TOKEN,
                "邮件主题中没有任务编号（形如 [YK-2026-000017/T3/9f2a1c]），请回复原交办邮件并保留主题中的编号。",
                "The subject has no task token (like [YK-2026-000017/T3/9f2a1c]); reply to the hand-off mail and keep the token in the subject.");
    }

    public static Rejection notATaskToken(TokenRef token) {
        return new Rejection(RejectionCode.NO_TOKEN,
                "主题中的编号 " + token.text() + " 是回访计划编号，不是任务编号。",
                "The token " + token.text() + " in the subject belongs to a return-visit plan, not to a task.");
    }

    public static Rejection forgedToken(TokenRef token) {
        return new Rejection(RejectionCode.FORGED_TOKEN,
                "主题中的编号 " + token.text() + " 校验码不正确（编号被改动或伪造），请回复原交办邮件，不要修改编号。",
                "The token " + token.text() + " has a wrong check code (altered or forged); reply to the hand-off mail without editing the token.");
    }

    /** A 6-hex token for a task or plan newer than the cut-over: never sent by the hub, so a guess (counted as forged). */
    public static Rejection legacyToken(TokenRef token) {
        return new Rejection(RejectionCode.FORGED_TOKEN,
                "主题中的编号 " + token.text() + " 是旧式短编号（6 位校验码），只对升级前交办的任务或回访计划有效；请回复原交办邮件，不要修改编号。",
                "The token " + token.text() + " has the old short check code (6 hex digits), valid only for tasks and "
                        + "return-visit plans sent before the upgrade; reply to the hand-off mail without editing the token.");
    }

    public static Rejection unknownCase(String caseNo, int taskNo) {
        return new Rejection(RejectionCode.UNKNOWN_CASE,
                "案件 " + caseNo + " 或其任务 T" + taskNo + " 不存在。",
                "Case " + caseNo + " or its task T" + taskNo + " does not exist.");
    }

    public static Rejection senderNotAllowed(String sender, String unitName) {
        return new Rejection(RejectionCode.SENDER_NOT_ALLOWED,
                "发件人 " + sender + " 不在" + unitName + "的许可发件人名单中。",
                "The sender " + sender + " is not on the allow-list of " + unitName + ".");
    }

    public static Rejection taskClosed(String caseNo, int taskNo) {
        return new Rejection(RejectionCode.TASK_CLOSED,
                "案件 " + caseNo + " 的任务 T" + taskNo + " 已关闭，本次答复未被采用。",
                "Task T" + taskNo + " of case " + caseNo + " is already closed; this reply was not used.");
    }

    public static Rejection missingField(ReplyKey key) {
        return new Rejection(RejectionCode.MISSING_FIELD,
                "答复缺少必填项“" + key.chinese() + "”（" + key.name() + "）。",
                "The reply lacks the required field " + key.name() + " (" + key.chinese() + ").");
    }

    public static Rejection assetsMissing() {
        return new Rejection(RejectionCode.MISSING_FIELD,
                "资产移交为“是”，答复须逐行列出移交资产“移交资产：名称|规格|数量|账面价值”（ASSET）。",
                "ASSET_TRANSFER is YES: the reply must list each asset to transfer, \"ASSET: name|specification|quantity|book value\".");
    }

    public static Rejection assetsWithoutTransfer() {
        return new Rejection(RejectionCode.INVALID_VALUE,
                "资产移交为“否”，却列出了移交资产（ASSET）；请改为“资产移交：是”或删去移交资产。",
                "ASSET_TRANSFER is NO but assets to transfer (ASSET) are listed; answer YES or leave the assets out.");
    }

    public static Rejection missingDesignFiles() {
        return new Rejection(RejectionCode.MISSING_FIELD,
                "设计完成的答复须附上设计文件，本邮件没有附件。",
                "A reply reporting the design DONE must attach the design files; this mail has no attachment.");
    }

    public static Rejection unknownResult(String value) {
        String known = "同意、通过、不同意、不通过、完成、不合格、申请中间检查、竣工";
        return new Rejection(RejectionCode.UNKNOWN_RESULT,
                "结论“" + shown(value) + "”无法识别，可填：" + known + "。",
                "The result \"" + shown(value) + "\" is not recognised; use one of "
                        + "APPROVED, REJECTED, DONE, FAILED, INSPECTION_REQUESTED, COMPLETED.");
    }

    public static Rejection resultNotExpected(ReplyResult result, TaskKind kind, Collection<ReplyResult> expected) {
        String zh = expected.stream().map(ReplyResult::chinese).collect(Collectors.joining("、"));
        String en = expected.stream().map(Enum::name).collect(Collectors.joining(", "));
        return new Rejection(RejectionCode.RESULT_NOT_EXPECTED,
                "任务“" + kind.titleZh() + "”不接受结论“" + result.chinese() + "”，可填：" + zh + "。",
                "The task \"" + kind.titleEn() + "\" does not accept the result " + result.name() + "; expected " + en + ".");
    }

    /** A value as quoted in a reason: the start of a long one only, so that a notice stays readable. */
    private static String shown(String value) {
        return value == null || value.length() <= 100 ? value : value.substring(0, 100) + "…(" + value.length() + ")";
    }

    public static Rejection invalidValue(ReplyKey key, String value, String expectedZh, String expectedEn) {
        return new Rejection(RejectionCode.INVALID_VALUE,
                "“" + key.chinese() + "”的内容“" + shown(value) + "”无法识别，应为" + expectedZh + "。",
                "The value \"" + shown(value) + "\" of " + key.name() + " is not readable; expected " + expectedEn + ".");
    }

    public static Rejection fieldTooLong(ReplyKey key, int length, int limit) {
        return new Rejection(RejectionCode.FIELD_TOO_LONG,
                "“" + key.chinese() + "”有 " + length + " 个字符，超过上限 " + limit + " 个字符，请精简后重新答复。",
                key.name() + " has " + length + " characters, over the limit of " + limit + "; shorten it and reply again.");
    }

    public static Rejection attachmentTooLarge(String fileName, long size, long limit) {
        return new Rejection(RejectionCode.ATTACHMENT_TOO_LARGE,
                "附件“" + fileName + "”大小 " + megabytes(size) + "，超过每个附件 " + megabytes(limit) + " 的上限。",
                "The attachment \"" + fileName + "\" has " + megabytes(size) + ", over the limit of " + megabytes(limit) + " per attachment.");
    }

    public static Rejection mailTooLarge(long size, long limit) {
        return new Rejection(RejectionCode.MAIL_TOO_LARGE,
                "邮件大小 " + megabytes(size) + "，超过每封邮件 " + megabytes(limit) + " 的上限。",
                "The mail has " + megabytes(size) + ", over the limit of " + megabytes(limit) + " per mail.");
    }

    public static Rejection emptyBody() {
        return new Rejection(RejectionCode.EMPTY_BODY,
                "邮件正文中没有答复项（例如“结论：同意”），引用的原文和签名之后的内容不计。",
                "The body holds no reply fields (such as \"RESULT: APPROVED\"); quoted text and anything after the signature do not count.");
    }

    public static Rejection autoReply(String sign) {
        return new Rejection(RejectionCode.AUTO_REPLY,
                "这是一封自动回复或退信（" + sign + "），不作为答复处理。",
                "This is an automatic reply or a bounce (" + sign + ") and is not taken as a reply.");
    }

    public static Rejection unreadable(String detail) {
        return new Rejection(RejectionCode.UNREADABLE,
                "邮件无法读取：" + detail + "。",
                "The mail cannot be read: " + detail + ".");
    }

    public static Rejection refusedByWorkflow(String caseNo, int taskNo, String code, String message) {
        return new Rejection(RejectionCode.REFUSED_BY_WORKFLOW,
                "案件 " + caseNo + " 当前不接受对任务 T" + taskNo + " 的本次答复（" + code + "）：" + message,
                "Case " + caseNo + " does not accept this reply to task T" + taskNo + " now (" + code + "): " + message);
    }

    public static Rejection severalTokens(int distinct) {
        return new Rejection(RejectionCode.SEVERAL_TOKENS,
                "主题中有 " + distinct + " 个不同的任务编号，一封答复只能针对一个任务；请回复原交办邮件，主题中只保留一个编号。",
                "The subject carries " + distinct + " different task tokens; a reply answers one task: reply to the hand-off mail "
                        + "keeping just its token.");
    }

    public static Rejection senderNotAuthenticated(String sender, String detail) {
        return new Rejection(RejectionCode.SENDER_NOT_AUTHENTICATED,
                "收件服务器未能认证发件人 " + sender + "（" + detail + "），可能是冒用的发件地址。",
                "The receiving server could not authenticate the sender " + sender + " (" + detail + "); the address may be forged.");
    }

    public static Rejection subjectTooLong(long length, int limit) {
        return new Rejection(RejectionCode.SUBJECT_TOO_LONG,
                "邮件主题长 " + length + " 字符，超过 " + limit + " 字符的上限。",
                "The subject has " + length + " characters, over the limit of " + limit + ".");
    }

    public static Rejection tooManyHeaders(int count, int limit) {
        return new Rejection(RejectionCode.TOO_MANY_HEADERS,
                "邮件有 " + count + " 个以上的邮件头，超过 " + limit + " 个的上限。",
                "The mail has " + count + " or more header fields, over the limit of " + limit + ".");
    }

    public static Rejection bodyTooLarge(long limit) {
        return new Rejection(RejectionCode.BODY_TOO_LARGE,
                "邮件正文超过 " + megabytes(limit) + " 的上限。",
                "The body is over the limit of " + megabytes(limit) + ".");
    }

    public static Rejection mimeTooDeep(int limit) {
        return new Rejection(RejectionCode.MIME_TOO_COMPLEX,
                "邮件的多部分（multipart）嵌套超过 " + limit + " 层的上限。",
                "The mail nests multiparts more than " + limit + " levels deep.");
    }

    public static Rejection tooManyParts(int limit) {
        return new Rejection(RejectionCode.MIME_TOO_COMPLEX,
                "邮件的正文和附件部分超过 " + limit + " 个的上限。",
                "The mail has more than " + limit + " body parts.");
    }

    public static Rejection readTimeout(java.time.Duration budget, int attempts) {
        return new Rejection(RejectionCode.READ_TIMEOUT,
                "读取邮件超过 " + budget.toMillis() + " 毫秒的时限（已尝试 " + attempts + " 次），邮件未被处理。",
                "Reading the mail took longer than " + budget.toMillis() + " ms (" + attempts + " attempts); it was not used.");
    }

    public static Rejection processingFailed(int attempts, String detail) {
        return new Rejection(RejectionCode.PROCESSING_FAILED,
                "邮件处理 " + attempts + " 次均失败（" + detail + "），请核对后在案件页面处理。",
                "Handling the mail failed " + attempts + " times (" + detail + "); please check it and act on the case page.");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}
