"""moto's server with fixes for gaps that would otherwise fail correct requests.

Each fix makes moto do what AWS does; none changes what a correct client sees.
Run as: python3 moto_server_with_fixes.py -H 127.0.0.1 -p PORT
"""
import sys

import moto.cloudwatch.models as cloudwatch_models
from moto.autoscaling.models import AutoScalingBackend
from moto.cloudwatch.models import CloudWatchBackend, Dimension, MetricAggregatedDatum, MetricDatum, Statistics
from moto.ec2.models.amis import AmiBackend
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.ec2.utils import parse_user_data

# CreateLaunchTemplateVersion stores UserData unparsed (CreateLaunchTemplate
# parses it), so an Auto Scaling Group launching from any version after the
# first fails with a 500. Parse it the same way for new versions.
_create_version = LaunchTemplates.create_launch_template_version


def _create_version_with_user_data(self):
    get = self._get_param

    def get_param(name, *args, **kwargs):
        value = get(name, *args, **kwargs)
        if name == "LaunchTemplateData" and isinstance(value, dict) and value.get("UserData") is not None:
            value["UserData"] = parse_user_data(get("LaunchTemplateData.UserData"))
        return value

    self._get_param = get_param
    try:
        return _create_version(self)
    finally:
        del self._get_param


LaunchTemplates.create_launch_template_version = _create_version_with_user_data

# CreateImage refuses a "snapshot" tag specification (AWS tags the new
# snapshots with it). Make the image without it, then tag its snapshot.
_create_image = AmiBackend.create_image


def _create_image_tagging_snapshots(self, instance_id, name, description, tag_specifications):
    snapshot_specs = [s for s in tag_specifications if s.get("ResourceType") == "snapshot"]
    others = [s for s in tag_specifications if s.get("ResourceType") != "snapshot"]
    ami = _create_image(self, instance_id, name, description, tag_specifications=others)
    snapshot = getattr(ami, "ebs_snapshot", None)
    if snapshot is not None:
        for spec in snapshot_specs:
            for tag in spec.get("Tags", []):
                snapshot.add_tag(tag["Key"], tag["Value"])
    return ami


AmiBackend.create_image = _create_image_tagging_snapshots

# CloudWatch dimension sets are unordered, but moto compares them after
# sorting with a broken ordering, so a query whose dimensions are listed in
# another order than they were published finds nothing. Order by name, value.


def _dimension_less(self, other):
    return (self.name or "", self.value or "") < (other.name or "", other.value or "")


Dimension.__lt__ = _dimension_less


# ListMetrics lists a metric once per datum when it has several dimensions:
# moto's test for "same dimensions" compares every pair. Compare the sets.
def _same_dimensions(ours, theirs):
    key = lambda dims: sorted((d.name or "", d.value or "") for d in dims)  # noqa: E731
    return key(ours) == key(theirs)


cloudwatch_models.are_dimensions_same = _same_dimensions

# Percentile statistics (p50, p99.9...) are computed by AWS from the values
# published one by one (or as Values/Counts, or a statistic set whose values
# are all equal); moto answers None and then fails to serialize it. Nearest
# rank: the smallest value that at least that share of the samples reach.
_statistic = Statistics.get_statistics_for_type


def _statistic_with_percentiles(self, stat):
    if not (stat.startswith("p") and stat[1:].replace(".", "", 1).isdigit()):
        return _statistic(self, stat)
    samples = []
    for datum in self.metric_data:
        if isinstance(datum, MetricDatum):
            samples.append(datum.value)
        elif isinstance(datum, MetricAggregatedDatum) and (datum.min == datum.max or datum.sample_count == 1):
            samples.extend([datum.min] * int(datum.sample_count))
        else:
            return None
    if not samples:
        return None
    samples.sort()
    rank = max(1, -(-float(stat[1:]) * len(samples) // 100))
    return samples[int(rank) - 1]


Statistics.get_statistics_for_type = _statistic_with_percentiles

# AWS leaves out a period whose statistic has no value (a percentile of a
# statistic set); moto keeps it as None. Drop such points with their timestamps.
_get_metric_data = CloudWatchBackend.get_metric_data


def _get_metric_data_without_gaps(self, *args, **kwargs):
    results = _get_metric_data(self, *args, **kwargs)
    for result in results:
        points = [(t, v) for t, v in zip(result["timestamps"], result["values"]) if v is not None]
        result["timestamps"] = [t for t, _ in points]
        result["values"] = [v for _, v in points]
    return results


CloudWatchBackend.get_metric_data = _get_metric_data_without_gaps

# Deleting an Auto Scaling Group deletes its scaling policies on AWS; moto
# keeps them, so they would outlive their group.
_delete_group = AutoScalingBackend.delete_auto_scaling_group


def _delete_group_and_policies(self, group_name):
    _delete_group(self, group_name)
    for name in [n for n, p in self.policies.items() if p.auto_scaling_group_name == group_name]:
        del self.policies[name]


AutoScalingBackend.delete_auto_scaling_group = _delete_group_and_policies

# An Auto Scaling Group registers an instance with its target groups once,
# when the instance joins (or the target group is attached). moto registers
# every instance again on each change of the group's size, which undoes a
# deregistration made before a scale-in: the next instance terminated brings
# the others it was about to remove back into the target group. Register each
# (target group, instance) pair once. (Terminated instances still stay
# registered, as moto has it: the platform deregisters them itself.)
def _update_attached_target_groups_once(self, group_name):
    group = self.autoscaling_groups[group_name]
    if not group.target_group_arns:
        return
    registered = group.__dict__.setdefault("_registered_targets", set())
    instance_ids = {state.instance.id for state in group.instance_states}
    for target_group in self.elbv2_backend.describe_target_groups(
        target_group_arns=group.target_group_arns, load_balancer_arn=None, names=None
    ):
        new = [i for i in instance_ids if (target_group.arn, i) not in registered]
        if new:
            self.elbv2_backend.register_targets(target_group.arn, [{"Id": i, "Port": target_group.port} for i in new])
            registered.update((target_group.arn, i) for i in new)


AutoScalingBackend.update_attached_target_groups = _update_attached_target_groups_once

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
