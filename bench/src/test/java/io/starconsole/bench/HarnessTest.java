package io.starconsole.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HarnessTest {

    @Test
    void schedule_dueTimes_followTheRateWhateverHappened() {
        RateSchedule schedule = new RateSchedule(1_000, 4_000); // one every 250 us

        assertThat(schedule.dueNanos(0)).isEqualTo(1_000);
        assertThat(schedule.dueNanos(4_000)).isEqualTo(1_000 + 1_000_000_000L);
        assertThat(schedule.dueBy(999)).isZero();
        assertThat(schedule.dueBy(1_000 + 250_000)).isEqualTo(2);
    }

    @Test
    void edgeOptions_goAfterTheJavaExecutable_andACollectorChosenThereReplacesTheLaunchers() {
        java.util.List<String> command = java.util.List.of("java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "edge.jar");

        assertThat(EdgeProcess.withOptions(command, java.util.List.of("-XX:+UseParallelGC", "-Xlog:gc")))
                .containsExactly("java", "-XX:+UseParallelGC", "-Xlog:gc", "-Xmx256m", "-jar", "edge.jar");
        assertThat(EdgeProcess.withOptions(command, java.util.List.of("-Xmn64m")))
                .containsExactly("java", "-Xmn64m", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "edge.jar");
    }

    @Test
    void machineSpeed_namesTheFirstProcessorsModel_orSaysItIsUnknown() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t: fpu\n\n"
                + "processor\t: 1\nmodel name\t: Other\n";

        assertThat(MachineSpeed.cpuModelFromCpuinfo(cpuinfo)).isEqualTo("AMD EPYC");
        assertThat(MachineSpeed.cpuModelFromCpuinfo("processor\t: 0\nmodel name\t:\n")).isEqualTo("processor unknown");
        assertThat(MachineSpeed.cpuModelFromCpuinfo("")).isEqualTo("processor unknown");
    }

    @Test
    void machineSpeed_timesRealSharedSecrets() {
        double micros = MachineSpeed.microsPerSharedSecret();

        // a Curve25519 ladder is tens of microseconds on any machine of this decade, never nothing
        assertThat(micros).isGreaterThan(1).isLessThan(10_000);
    }

    @Test
    void queueExperiment_splitsStatementsAtLineEnds_keepingSemicolonsInsideALine() {
        String file = "ALTER TABLE a DROP CONSTRAINT a_fkey;\n\n-- a comment\nALTER SYSTEM SET x = 'a;b';  \n"
                + "SELECT\n  pg_reload_conf();";

        assertThat(QueueCycleBench.experimentStatements(file)).containsExactly(
                "ALTER TABLE a DROP CONSTRAINT a_fkey",
                "-- a comment\nALTER SYSTEM SET x = 'a;b'",
                "SELECT\n  pg_reload_conf()");
        assertThat(QueueCycleBench.experimentStatements(" \n")).isEmpty();
    }

    @Test
    void schedule_zeroRate_isRejected() {
        assertThatThrownBy(() -> new RateSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void report_stalledAnswer_countsFromItsDueTime() {
        // Open loop: 100 PINGs due 1 ms apart, the system stalls 50 ms before the first answer.
        Histogram h = LatencyReport.newHistogram();
        RateSchedule schedule = new RateSchedule(0, 1_000);
        long stallEnd = 50_000_000;
        for (int i = 0; i < 100; i++) {
            long answeredAt = Math.max(stallEnd, schedule.dueNanos(i)) + 100_000;
            h.recordValue(answeredAt - schedule.dueNanos(i));
        }
        LatencyReport report = new LatencyReport("t", 100, 100, 0.1, h);

        // the 50 sends due during the stall waited 50.1 ms down to 1.1 ms: half the samples show it
        assertThat(report.millis(50)).isCloseTo(0.1, within(0.01));
        assertThat(report.millis(75)).isCloseTo(25.1, within(0.1));
        assertThat(report.millis(100)).isCloseTo(50.1, within(0.1));
        assertThat(report.lost()).isZero();
    }

    @Test
    void report_lossAndRate() {
        LatencyReport report = new LatencyReport("t", 1_000, 990, 2.0, LatencyReport.newHistogram());

        assertThat(report.lost()).isEqualTo(10);
        assertThat(report.lossPercent()).isEqualTo(1.0);
        assertThat(report.achievedPerSecond()).isEqualTo(495.0);
    }

    @Test
    void queueFloor_cycleCostsEachPieceTimesItsCount_andCoresBoundTheRate() {
        QueueFloor.Costs costs = new QueueFloor.Costs(100e-6, 20e-6, 50e-6);

        assertThat(costs.cycleSeconds(3, 20, 4)).isCloseTo(300e-6 + 400e-6 + 200e-6, within(1e-12));
        assertThat(costs.cyclesPerSecond(2, 3, 20, 4)).isCloseTo(2 / 900e-6, within(1e-6));
        assertThat(costs.cycleSeconds(0.03, 0.5, 0.04)).isCloseTo(3e-6 + 10e-6 + 2e-6, within(1e-12));
    }

    @Test
    void queueFloor_negativeCost_isRejected() {
        assertThatThrownBy(() -> new QueueFloor.Costs(1e-6, -1e-6, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not below zero");
    }

    @Test
    void proc_cpuTicks_countFieldsAfterTheCommandName() {
        String stat = "4242 (java (edge) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 30 0 1 2 3";

        assertThat(Proc.cpuTicksFromStat(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void proc_threadName_hasItsDigitsAsN() {
        assertThat(Proc.threadNameFromStat("77 (edge-udp-2-1) S 1 2 3 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 2 3"))
                .isEqualTo("edge-udp-N-N");
        assertThat(Proc.threadNameFromStat("78 (C2 CompilerThre) S 1 2 3")).isEqualTo("C2 CompilerThre");
        assertThat(Proc.threadNameFromStat("79 (GC Thread#1) S 1 2 3")).isEqualTo("GC Thread#N");
    }

    @Test
    void proc_threadCpuTicks_ofThisProcess_namesTheMainThread() throws Exception {
        assertThat(Proc.threadCpuTicks(ProcessHandle.current().pid())).containsKey("java");
    }

    @Test
    void proc_rss_fromStatus() {
        assertThat(Proc.rssKibFromStatus("Name:\tjava\nVmPeak:\t 9 kB\nVmRSS:\t  123456 kB\nThreads: 3\n"))
                .isEqualTo(123456);
    }

    @Test
    void proc_udpReceiveBufferErrors_fromSnmp() {
        String snmp = "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
                + "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
                + "Udp: 49498538 13039 20138680 69707168 20138675 0\n"
                + "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
                + "UdpLite: 0 0 0 0 7 0\n";
        assertThat(Proc.udpReceiveBufferErrorsFromSnmp(snmp)).isEqualTo(20138675);
        assertThat(Proc.udpReceiveBufferErrorsFromSnmp("Ip: 1 64\n")).isEqualTo(-1);
    }

    @Test
    void standIn_answersARegistrationBatch_oneAcceptedAddressPerHelloInOrder() throws Exception {
        try (FunctionsStandIn standIn = new FunctionsStandIn()) {
            com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(standIn.acceptedBatch(3));

            assertThat(answer.get("results")).hasSize(3);
            assertThat(answer.get("results").get(0).get("spnIp").asText()).isEqualTo("10.0.0.1");
            assertThat(answer.get("results").get(2).get("spnIp").asText()).isEqualTo("10.0.0.3");
            assertThat(answer.get("results").get(1).get("outcome").asText()).isEqualTo("OK_NEWIP");
            assertThat(standIn.registrations()).isEqualTo(3);
        }
    }

    @Test
    void standIn_countsHeartbeatsInABatch_alsoAcrossItsReadingChunks() throws Exception {
        byte[] small = "{\"edgeId\":\"e\",\"heartbeats\":[{\"publicKey\":\"a\"},{\"publicKey\":\"b\"}]}".getBytes();
        assertThat(FunctionsStandIn.countPublicKeys(new java.io.ByteArrayInputStream(small))).isEqualTo(2);
        assertThat(FunctionsStandIn.countPublicKeys(new java.io.ByteArrayInputStream(new byte[0]))).isZero();

        // 1,000 heartbeats of 41 to 52 bytes: every offset of a field against the 16 KiB chunks occurs
        for (int padding = 0; padding < 12; padding++) {
            StringBuilder body = new StringBuilder("{\"edgeId\":\"e\",\"heartbeats\":[");
            for (int i = 0; i < 1000; i++) {
                body.append(i == 0 ? "" : ",").append("{\"publicKey\":\"").append("k".repeat(padding + i % 3))
                        .append("\",\"realIp\":\"10.0.0.1\"}");
            }
            byte[] bytes = body.append("]}").toString().getBytes();
            assertThat(FunctionsStandIn.countPublicKeys(new java.io.ByteArrayInputStream(bytes)))
                    .as("padding %d", padding).isEqualTo(1000);
        }
        assertThat(FunctionsStandIn.address(258)).isEqualTo("10.0.1.2");
    }
}
