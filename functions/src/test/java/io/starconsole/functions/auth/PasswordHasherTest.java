package io.starconsole.functions.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hash_isArgon2idInPhcFormat_andVerifies() {
        String hash = hasher.hash("correct horse");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("correct horsf", hash)).isFalse();
    }

    @Test
    void hash_samePasswordTwice_differsBySalt() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void verify_knownAnswerFromReferenceImplementation() {
        // RFC 9106-style PHC string made by the reference argon2 CLI:
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", reference)).isTrue();
        assertThat(hasher.verify("passwore", reference)).isFalse();
    }

    @Test
    void verify_malformedStoredHash_isFalseNotAnError() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "$argon2i$v=19$m=16,t=2,p=1$c29tZQ$aGFzaA")).isFalse();
        assertThat(hasher.verify("x", "plaintext")).isFalse();
    }
}
