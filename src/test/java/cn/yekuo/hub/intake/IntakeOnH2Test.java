package cn.yekuo.hub.intake;

import cn.yekuo.hub.support.HubTest;

/** The intake contract on the embedded default: H2 file database, embedded Artemis on TCP 61616. */
@HubTest
class IntakeOnH2Test extends IntakeContractTest {
}
