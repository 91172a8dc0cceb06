package dev.dinggate.dingtalk;

/**
 * A part of {@code /actuator/dingtalk} kept by another package (one that depends on this one, so the endpoint
 * cannot ask it directly): its facts appear under {@link #name()}.
 */
public interface OperatorFacts {

    /** The key of this part in the endpoint's answer, e.g. {@code directory}. */
    String name();

    /** What operators see under it: a record, serialised as JSON. */
    Object facts();
}
