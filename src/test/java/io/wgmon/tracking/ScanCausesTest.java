package io.wgmon.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScanCausesTest {
    @Test
    void aMergedScanCountsUnderItsMostPressingCauseAndTheCausesAreForgotten() {
        ScanCauses causes = new ScanCauses();
        causes.note(ScanCause.DEADLINE);
        causes.note(ScanCause.PACKET);
        causes.note(ScanCause.URGENT);
        assertEquals(ScanCause.URGENT, causes.take());
        causes.note(ScanCause.DEADLINE);
        causes.note(ScanCause.RECOVERY);
        assertEquals(ScanCause.RECOVERY, causes.take());
        causes.note(ScanCause.PACKET);
        assertEquals(ScanCause.PACKET, causes.take());
        assertEquals(ScanCause.DEADLINE, causes.take(), "nothing noted: a trailing scan with no cause noted");
    }
}
