"""Clustering: which reports tell the same incident (date window + place + actors + text)."""

from rashomon.cluster.features import Features, features_of, pair_score
from rashomon.cluster.linker import Linker, cluster_pending, story_id_for

__all__ = ["Features", "Linker", "cluster_pending", "features_of", "pair_score", "story_id_for"]
