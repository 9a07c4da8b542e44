package cn.yekuo.hub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.HdrHistogram.Histogram;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.TaskService;
import org.flowable.task.api.Task;

/**
 * The peer of the lifecycle: the same stages by an embedded Flowable engine on H2 (file, as the hub's default), history
 * at its default (audit), async executor on (it would fire the deadline timers). Each worker thread takes cases from
 * start to end, completing each open user task with the variables of the unit's reply; a stage's latency is the time
 * of the task completion (or process start) that moves the case on.
 */
final class FlowableLifecycle {

    record Outcome(double perSecond, Histogram stageLatency, int completed, double cpuMsPerCase) {
    }

    private FlowableLifecycle() {
    }

    static Outcome run(int cases, int threads) throws Exception {
        ProcessEngineConfiguration cfg = ProcessEngineConfiguration.createStandaloneProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:file:" + Bench.dir("flowable").toAbsolutePath() + "/db;DB_CLOSE_ON_EXIT=FALSE")
                .setJdbcUsername("sa").setJdbcPassword("")
                .setJdbcDriver("org.h2.Driver")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE)
                .setJdbcMaxActiveConnections(threads + 4)
                .setAsyncExecutorActivate(true);
        // the model's effects (${peer.…}) bound to nothing: the engine alone, the reference for the peer with the same outputs
        ((org.flowable.engine.impl.cfg.ProcessEngineConfigurationImpl) cfg).setBeans(
                new java.util.HashMap<>(Map.of("peer", new cn.yekuo.hub.bench.flowable.NoEffects())));
        ProcessEngine engine = cfg.buildProcessEngine();
        try {
            engine.getRepositoryService().createDeployment().addClasspathResource("bench/connection.bpmn20.xml").deploy();
            RuntimeService runtime = engine.getRuntimeService();
            TaskService tasks = engine.getTaskService();
            // warm-up
            drive(runtime, tasks, Math.min(20, cases), threads, new Histogram(3_600_000_000L, 3));
            Histogram latency = new Histogram(3_600_000_000L, 3);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            CpuBreakdown.Window cpuWindow = CpuBreakdown.start(ProcessHandle.current().pid(), "bare Flowable");
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            int done = drive(runtime, tasks, cases, threads, latency);
            double seconds = (System.nanoTime() - start) / 1e9;
            // the benchmark JVM does nothing else meanwhile: its CPU time is Flowable's (engine, H2, the driver threads)
            double cpuMsPerCase = (os.getProcessCpuTime() - cpu) / 1e6 / Math.max(1, done);
            cpuWindow.stop(); // CpuBreakdown.last("bare Flowable")
            return new Outcome(done / seconds, latency, done, cpuMsPerCase);
        } finally {
            engine.close();
        }
    }

    private static int drive(RuntimeService runtime, TaskService tasks, int cases, int threads, Histogram latency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            futures.add(pool.submit(() -> one(runtime, tasks, latency)));
        }
        int done = 0;
        for (Future<Boolean> f : futures) {
            if (f.get()) {
                done++;
            }
        }
        pool.shutdown();
        return done;
    }

    private static boolean one(RuntimeService runtime, TaskService tasks, Histogram latency) {
        String applicationNo = "SG186-F-" + UUID.randomUUID().toString().substring(0, 18);
        long s = System.nanoTime();
        String pid = runtime.startProcessInstanceByKey("connection", applicationNo,
                Map.of("applicationNo", applicationNo, "transformerKva", 800, "powerSources", 1, "stage", "SCHEME")).getId();
        record(latency, s);
        while (true) {
            List<Task> open = tasks.createTaskQuery().processInstanceId(pid).orderByTaskCreateTime().asc().list();
            if (open.isEmpty()) {
                return runtime.createProcessInstanceQuery().processInstanceId(pid).count() == 0;
            }
            for (Task t : open) {
                long c = System.nanoTime();
                tasks.complete(t.getId(), Map.of("result", "APPROVED", "by", t.getTaskDefinitionKey(),
                        "details", "结论：同意 " + t.getName()));
                record(latency, c);
            }
        }
    }

    private static void record(Histogram h, long since) {
        long micros = Math.max(1, (System.nanoTime() - since) / 1000);
        synchronized (h) {
            h.recordValue(micros);
        }
    }
}
