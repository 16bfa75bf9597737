package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScanCausesTest {
    @Test
    void aMergedScanCountsUnderItsMostPressingCauseAndTheCausesAreForgotten() {
        ScanCauses causes = new ScanCauses();
        causes.note(ScanCause.TICK);
        causes.note(ScanCause.PACKET);
        causes.note(ScanCause.URGENT);
        assertEquals(ScanCause.URGENT, causes.take());
        causes.note(ScanCause.TICK);
        causes.note(ScanCause.RECOVERY);
        assertEquals(ScanCause.RECOVERY, causes.take());
        causes.note(ScanCause.PACKET);
        assertEquals(ScanCause.PACKET, causes.take());
        assertEquals(ScanCause.TICK, causes.take(), "nothing noted: the tick's trailing scan");
    }
}
