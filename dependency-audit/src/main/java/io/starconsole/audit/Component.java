package io.starconsole.audit;

/** A library as the SBOM lists it: Maven coordinates and the resolved version. */
public record Component(String group, String name, String version) {

    public String coordinates() {
        return group + ":" + name;
    }

    @Override
    public String toString() {
        return coordinates() + ":" + version;
    }
}
