package io.starconsole.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's words: {@code --name value} options, {@code --flag}s and the positional words, in any order. */
record Options(List<String> positional, Map<String, String> values, Set<String> flags) {

    static Options parse(List<String> words, List<String> valued, List<String> flagNames) throws CliException {
        List<String> positional = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (valued.contains(word)) {
                if (i + 1 >= words.size()) {
                    throw CliException.usage(word + " needs a value");
                }
                values.put(word, words.get(++i));
            } else if (flagNames.contains(word)) {
                flags.add(word);
            } else if (word.startsWith("--")) {
                throw CliException.usage("unknown option '" + word + "'");
            } else {
                positional.add(word);
            }
        }
        return new Options(positional, values, flags);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }
}
