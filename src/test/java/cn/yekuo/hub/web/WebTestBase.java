package cn.yekuo.hub.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.yekuo.hub.process.CaseProcess;

/** The running hub (one shared context, see HubTest), with billing on JMS and HTTP on the random port. */
abstract class WebTestBase {

    @Value("${yk.broker.acceptor}")
    String acceptor;

    @LocalServerPort
    int port;

    @Autowired
    CaseProcess process;

    WebFixture hub;

    @BeforeEach
    void connect() {
        hub = new WebFixture(acceptor, port);
    }

    @AfterEach
    void disconnect() {
        hub.close();
    }
}
