package io.wgmon.capture.nflog;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetAdminCapabilityTest {
    @Test
    void readsBitTwelveOfTheEffectiveSet() {
        assertEquals(Optional.of(true), NetAdminCapability.fromStatus("Name:\tjava\nCapEff:\t000001ffffffffff\n"));
        assertEquals(Optional.of(true), NetAdminCapability.fromStatus("CapInh:\t0\nCapEff:\t0000000000001000\n"));
        assertEquals(Optional.of(false), NetAdminCapability.fromStatus("CapPrm:\t1000\nCapEff:\t000001ffffffefff\n"));
        assertEquals(Optional.empty(), NetAdminCapability.fromStatus("Name:\tjava\n"));
    }
}
