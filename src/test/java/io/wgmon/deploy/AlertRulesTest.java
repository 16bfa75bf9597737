package io.wgmon.deploy;

import io.wgmon.testbed.LivePrerequisites;
import io.wgmon.testbed.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/prometheus's rules, with the real promtool: they load, and their own tests pass. */
class AlertRulesTest {
    @BeforeAll
    static void prerequisites() {
        LivePrerequisites.require("promtool");
    }

    @Test
    void theRulesLoadAndPassTheirTests() {
        String checked = Shell.run(List.of("promtool", "check", "rules", MonitoringFiles.ALERTS.toString()));
        System.out.println(checked.strip());
        assertTrue(checked.contains("SUCCESS: 5 rules found"), checked);
        String tested = Shell.run(List.of("promtool", "test", "rules", MonitoringFiles.ALERT_TESTS.toString()));
        System.out.println(tested.strip());
        assertTrue(tested.contains("SUCCESS"), tested);
    }

    @Test
    void theQueriesAreFoundInTheFiles() throws IOException {
        assertTrue(MonitoringFiles.dashboardMetrics().containsAll(Set.of("wgmon_peer_up",
                "wgmon_peer_receive_bytes_total", "wgmon_events_total", "wgmon_webhook_delivered_total",
                "wgmon_scans_seconds_bucket")), MonitoringFiles.dashboardMetrics().toString());
        assertEquals(Set.of("wgmon_peer_up", "wgmon_webhook_retries_total", "wgmon_webhook_delivered_total",
                "wgmon_webhook_circuit_open", "wgmon_webhook_failed_total", "wgmon_webhook_expired_total",
                "wgmon_webhook_overflow_total", "wgmon_packets_lost_total", "wgmon_scan_failures_total",
                "wgmon_scan_errors_total"), MonitoringFiles.alertMetrics());
    }
}
