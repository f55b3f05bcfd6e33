package io.starconsole.functions.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeSecretTest {

    @Test
    void unset_refusesEverything() {
        EdgeSecret unset = new EdgeSecret(Optional::empty);
        assertThat(unset.identityFor("")).isNull();
        assertThat(unset.identityFor("anything")).isNull();
        assertThat(new EdgeSecret(() -> Optional.of("  ")).identityFor("  ")).isNull();
    }

    @Test
    void set_acceptsOnlyTheExactSecret_withTheEdgeRoleOnly() {
        EdgeSecret secret = new EdgeSecret(() -> Optional.of("s3cret-value"));
        assertThat(secret.identityFor("s3cret-value").getRoles()).containsExactly(Role.Names.EDGE);
        assertThat(secret.identityFor("s3cret-valuE")).isNull();
        assertThat(secret.identityFor("s3cret-value ")).isNull();
        assertThat(secret.identityFor(null)).isNull();
    }
}
