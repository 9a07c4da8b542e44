package cn.yekuo.hub.documents;

/**
 * The port through which customer mails get the link to their case's status page (docs/contract.md §3, §4.10);
 * implemented by the status feature.
 */
public interface StatusLinks {

    /** The absolute URL of the case's status page. */
    String linkFor(String caseNo);
}
