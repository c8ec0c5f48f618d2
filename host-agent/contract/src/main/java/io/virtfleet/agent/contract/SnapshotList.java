package io.virtfleet.agent.contract;

import java.util.List;

/** {@code GET /api/v1/snapshots}: every complete snapshot on this host. */
public record SnapshotList(List<SnapshotStatus> snapshots) {
}
