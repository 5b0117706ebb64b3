// On-demand list prices (USD, Linux, per hour) of the EC2 types the platform
// offers and of an Application Load Balancer, per region: what the slider
// shows a formation will cost. Shipped with the platform and dated, because
// the dashboard must not call AWS's Pricing API on every page view; a region
// or type missing here is shown as "price unknown", never guessed.
export const AWS_PRICES_AS_OF = '2026-11-01';

/** Hours in AWS's billing month. */
export const HOURS_PER_MONTH = 730;

type RegionPrices = { ec2: Readonly<Record<string, number>>; albHour: number };

const T3_US = {
  't3.micro': 0.0104,
  't3.small': 0.0208,
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't3.xlarge': 0.1664,
  't3.2xlarge': 0.3328,
};

export const AWS_PRICES: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': { ec2: T3_US, albHour: 0.0225 },
  'us-east-2': { ec2: T3_US, albHour: 0.0225 },
  'us-west-2': { ec2: T3_US, albHour: 0.0225 },
  'eu-west-1': {
    ec2: {
      't3.micro': 0.0114,
      't3.small': 0.0228,
      't3.medium': 0.0456,
      't3.large': 0.0912,
      't3.xlarge': 0.1824,
      't3.2xlarge': 0.3648,
    },
    albHour: 0.0252,
  },
  'eu-central-1': {
    ec2: { 't3.micro': 0.012, 't3.small': 0.024, 't3.medium': 0.048, 't3.large': 0.096, 't3.xlarge': 0.192, 't3.2xlarge': 0.384 },
    albHour: 0.027,
  },
};
