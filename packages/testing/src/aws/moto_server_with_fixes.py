"""moto's server with fixes for gaps that would otherwise fail correct requests.

Each fix makes moto do what AWS does; none changes what a correct client sees.
Run as: python3 moto_server_with_fixes.py -H 127.0.0.1 -p PORT
"""
import sys

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

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
