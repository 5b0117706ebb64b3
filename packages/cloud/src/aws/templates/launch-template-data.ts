import type { RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { TagMap } from '../tags';
import { tagList } from '../tags';

export interface LaunchTemplateDataInput {
  imageId: string;
  instanceType: string;
  instanceProfile: string;
  securityGroupIds: string[];
  userData: string;
  tags: TagMap;
}

/**
 * What an app instance of a release is launched with. IMDSv2 only, with a hop
 * limit of 1; no key pair (no SSH), only the platform's security group; the
 * least-privilege instance profile; everything tagged for cost allocation.
 */
export function launchTemplateData(input: LaunchTemplateDataInput): RequestLaunchTemplateData {
  const tags = tagList(input.tags);
  return {
    ImageId: input.imageId,
    InstanceType: input.instanceType as RequestLaunchTemplateData['InstanceType'],
    IamInstanceProfile: { Name: input.instanceProfile },
    SecurityGroupIds: input.securityGroupIds,
    MetadataOptions: {
      HttpTokens: 'required',
      HttpEndpoint: 'enabled',
      HttpPutResponseHopLimit: 1,
      // The agent learns its Auto Scaling Group from its tags, to file its log under the group.
      InstanceMetadataTags: 'enabled',
    },
    Monitoring: { Enabled: false },
    UserData: Buffer.from(input.userData, 'utf8').toString('base64'),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: tags },
      { ResourceType: 'volume', Tags: tags },
    ],
  };
}
