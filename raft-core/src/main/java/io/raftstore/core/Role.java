package io.raftstore.core;

/** What a node currently does in the cluster. */
public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER, LEARNER }
