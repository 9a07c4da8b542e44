package cn.yekuo.hub.deadlines;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.quartz.SchedulerConfigException;
import org.quartz.spi.ClassLoadHelper;
import org.quartz.spi.SchedulerSignaler;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.scheduling.quartz.LocalDataSourceJobStore;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;

/**
 * Spring's job store on the hub's DataSource, registered in Quartz's JVM-wide {@link DBConnectionManager} under a
 * name of its own. Spring registers it under the scheduler name, which must be the same on every hub of a cluster
 * (it is the {@code SCHED_NAME} of the shared tables): two hubs in one JVM — the tests run several — would then
 * use whichever DataSource registered last, and fail once that hub is closed. One hub per JVM is unaffected. A
 * provider lets go of its DataSource when the store shuts down.
 */
public class HubJobStore extends LocalDataSourceJobStore {

    private static final AtomicInteger STORES = new AtomicInteger();

    @Override
    public void initialize(ClassLoadHelper loadHelper, SchedulerSignaler signaler) throws SchedulerConfigException {
        DataSource dataSource = SchedulerFactoryBean.getConfigTimeDataSource();
        DataSource nonTransactional = SchedulerFactoryBean.getConfigTimeNonTransactionalDataSource();
        super.initialize(loadHelper, signaler);
        String key = getInstanceName() + "#" + STORES.incrementAndGet();
        DBConnectionManager connections = DBConnectionManager.getInstance();
        // as Spring's own providers: the transactional one joins a Spring-managed transaction, the other does not
        ConnectionProvider tx = provider(() -> DataSourceUtils.doGetConnection(dataSource));
        DataSource plain = nonTransactional != null ? nonTransactional : dataSource;
        ConnectionProvider nonTx = provider(plain::getConnection);
        connections.addConnectionProvider(TX_DATA_SOURCE_PREFIX + key, tx);
        connections.addConnectionProvider(NON_TX_DATA_SOURCE_PREFIX + key, nonTx);
        // Spring's entries under the shared name, unused by this store, are replaced too, so that they let go as well
        connections.addConnectionProvider(TX_DATA_SOURCE_PREFIX + getInstanceName(), tx);
        connections.addConnectionProvider(NON_TX_DATA_SOURCE_PREFIX + getInstanceName(), nonTx);
        setDataSource(TX_DATA_SOURCE_PREFIX + key);
        setNonManagedTXDataSource(NON_TX_DATA_SOURCE_PREFIX + key);
    }

    private interface Connect {
        Connection get() throws SQLException;
    }

    private static ConnectionProvider provider(Connect connect) {
        // DBConnectionManager keeps every provider for the life of the JVM (it has no removal): the store's shutdown
        // lets go of the hub's DataSource, else a closed hub stayed reachable (the test suite's hubs, fonts and all)
        AtomicReference<Connect> current = new AtomicReference<>(connect);
        return new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                Connect c = current.get();
                if (c == null) {
                    throw new SQLException("the hub's Quartz job store is shut down");
                }
                return c.get();
            }

            @Override
            public void shutdown() {
                // the DataSource itself belongs to the Spring context, which closes it
                current.set(null);
            }

            @Override
            public void initialize() {
                // nothing to set up
            }
        };
    }
}
