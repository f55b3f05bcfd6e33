package io.starconsole.agent.backend;

/** The admin password arrives as a crypt(3) hash ({@code $6$...}, {@code $y$...}); plain text is refused. */
final class CryptHashes {

    private CryptHashes() {
    }

    static String require(String hash) {
        String value = hash == null ? "" : hash.strip();
        if (!value.matches("\\$[0-9a-z]+\\$[^\\s:]+")) {
            throw new BackendException("the admin password must be given as a crypt(3) hash such as $6$..., not in plain text");
        }
        return value;
    }
}
