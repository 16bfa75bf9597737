package io.wgmon.delivery.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitTest {

    @Test
    void opensAfterThresholdFailuresInARowAndClosesOnAnyAnswer() {
        Circuit circuit = new Circuit(3);
        assertFalse(circuit.failed(false));
        assertFalse(circuit.failed(false));
        assertFalse(circuit.isOpen());
        assertTrue(circuit.failed(false), "the third failure opens it");
        assertTrue(circuit.isOpen());
        assertFalse(circuit.failed(false), "it opens once");

        assertEquals(1, circuit.nextProbe());
        circuit.failed(true);
        circuit.failed(true);
        assertEquals(3, circuit.nextProbe(), "probe delays grow with failed probes only");

        assertTrue(circuit.answered());
        assertFalse(circuit.isOpen());
        assertEquals(1, circuit.nextProbe());
        assertFalse(circuit.answered());
    }

    @Test
    void anAnswerBetweenFailuresResetsTheCount() {
        Circuit circuit = new Circuit(2);
        circuit.failed(false);
        circuit.answered();
        assertFalse(circuit.failed(false));
        assertFalse(circuit.isOpen());
        assertThrows(IllegalArgumentException.class, () -> new Circuit(0));
    }
}
