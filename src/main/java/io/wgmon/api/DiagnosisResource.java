package io.wgmon.api;

import io.wgmon.tracking.MissingRuleDiagnosis;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the status page shows about the capture itself (docs/architecture.md#rule-diagnosis). */
@Path("/api/diagnosis")
public class DiagnosisResource {
    /** @param captureRuleMissing the missing-rule WARN's text, null while packets arrive as they should */
    public record Diagnosis(String captureRuleMissing) {
    }

    private final MissingRuleDiagnosis ruleDiagnosis;

    public DiagnosisResource(MissingRuleDiagnosis ruleDiagnosis) {
        this.ruleDiagnosis = ruleDiagnosis;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Diagnosis diagnosis() {
        MissingRuleDiagnosis.Finding finding = ruleDiagnosis.finding();
        return new Diagnosis(finding == null ? null : finding.message());
    }
}
