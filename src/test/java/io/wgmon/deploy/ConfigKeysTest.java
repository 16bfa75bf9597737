package io.wgmon.deploy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigKeysTest {
    private final ConfigKeys keys = ConfigKeys.declaredByApplication();

    @Test
    void keysComeFromMethodNamesWithNameAnnotationsAndNestedGroups() {
        assertTrue(keys.keys().contains("wgmon.monitor"), keys.keys().toString());
        assertTrue(keys.keys().contains("wgmon.nflog.group"), keys.keys().toString());
        assertTrue(keys.keys().contains("wgmon.bpf.interface"), "@WithName(\"interface\") on networkInterface()");
        assertTrue(keys.keys().contains("wgmon.tracking.idle-timeout"), keys.keys().toString());
        assertTrue(keys.keys().contains("wgmon.webhook.url"), keys.keys().toString());
        assertTrue(keys.keys().contains("quarkus.http.port"), "the Quarkus HTTP keys the manifests use");
        assertTrue(keys.keys().contains("quarkus.management.port"), "the management interface's keys");
        assertTrue(keys.keys().contains("wgmon.api.token"), keys.keys().toString());
        assertFalse(keys.keys().contains("wgmon.bpf.network-interface"), "the method name is not the key");
    }

    @Test
    void environmentNamesMatchTheWaySmallRyeMapsThem() {
        assertTrue(keys.knowsEnv("WGMON_NFLOG_GROUP"));
        assertTrue(keys.knowsEnv("WGMON_TRACKING_IDLE_TIMEOUT"));
        assertTrue(keys.knowsEnv("WGMON_WIREGUARD_UAPI_DIR"));
        assertTrue(keys.knowsEnv("QUARKUS_HTTP_PORT"));
        assertTrue(keys.knowsEnv("QUARKUS_MANAGEMENT_PORT"));
        assertTrue(keys.knowsEnv("WGMON_API_TOKEN"));
        assertFalse(keys.knowsEnv("WGMON_NFLOG_GRUOP"));
        assertFalse(keys.knowsEnv("WGMON_TRACKING"), "a group is not a key");
        assertFalse(keys.knowsEnv("wgmon_nflog_group"), "environment names are upper case");
    }

    @Test
    void mapKeysAndListIndexesMatchAnySegment() {
        assertTrue(ConfigKeys.envPattern("wgmon.webhook.receivers.*.url").matcher("WGMON_WEBHOOK_RECEIVERS_OPS_TEAM_URL").matches());
        assertTrue(ConfigKeys.envPattern("wgmon.webhook.url[*]").matcher("WGMON_WEBHOOK_URL_0_").matches());
        assertFalse(ConfigKeys.envPattern("wgmon.webhook.receivers.*.url").matcher("WGMON_WEBHOOK_RECEIVERS_URL").matches());
    }
}
