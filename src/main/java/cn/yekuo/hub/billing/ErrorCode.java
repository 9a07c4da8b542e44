package cn.yekuo.hub.billing;

/** Why a billing message was rejected (docs/contract.md §1, MessageRejected). */
public enum ErrorCode {
    MALFORMED_JSON, SCHEMA_VIOLATION, UNKNOWN_TYPE, UNKNOWN_APPLICATION, INVALID_STATE, DUPLICATE_APPLICATION, TOO_LARGE,
    /** not bad input: processing failed on every delivery (poison); the original waits on yk.dlq for an operator */
    PROCESSING_FAILED
}
