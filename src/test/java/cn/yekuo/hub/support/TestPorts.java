package cn.yekuo.hub.support;

/** Ports of the shared test hub; movable with -Dyk.test.broker-port=… so that two builds can run at once. */
public final class TestPorts {

    public static final int BROKER = Integer.getInteger("yk.test.broker-port", 61616);
    public static final int SMTP = Integer.getInteger("yk.test.smtp-port", 3025);
    public static final int IMAP = Integer.getInteger("yk.test.imap-port", 3143);
    public static final String BROKER_URL = "tcp://127.0.0.1:" + BROKER;

    private TestPorts() {
    }
}
