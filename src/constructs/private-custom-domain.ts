import {
  Lazy,
  Names,
  Token,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_iam as iam,
  aws_route53 as route53,
} from 'aws-cdk-lib';
import type { IResolveContext } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BasePathRegistry } from './base-paths';
import {
  checkEndpointDns,
  endpointAliasTarget,
  requirePrivateApi,
  stageOfRestApi,
  urlOf,
  validateDomainInZone,
} from './common';
import { fail } from './errors';
import type { EndpointDns } from './private-api-access';
import type { RestApiMappingOptions } from './regional-custom-domain';
import { HINTS_METADATA_KEY, HintsMetadata } from '../hints-metadata';

/**
 * Properties of a {@link PrivateCustomDomain}.
 */
export interface PrivateCustomDomainProps {
  /**
   * The custom domain name, e.g. `internal.example.com`. Lower case.
   */
  readonly domainName: string;

  /**
   * The ACM certificate for `domainName`, in the region of the domain.
   *
   * Required: ACM validates certificates through public DNS, which a private hosted zone is not, so
   * validate the certificate in the public zone of the parent domain (`acm.Certificate` with
   * `CertificateValidation.fromDns(publicZone)`).
   */
  readonly certificate: acm.ICertificateRef;

  /**
   * The execute-api interface endpoint that callers in `vpc` use: the private DNS record points at it, and
   * it is allowed (domain policy + access association) like any endpoint given to `allowEndpoint`.
   *
   * `PrivateApiAccess.endpoint` fits. An endpoint that is not defined in this app (imported by id: a hub's
   * endpoint shared with the callers' VPC, another account's) needs `endpointDns` for the record.
   */
  readonly endpoint: ec2.IInterfaceVpcEndpoint;

  /**
   * The DNS name and hosted zone of `endpoint`, when it is not defined in this app
   * (`InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes`).
   *
   * @default - read from the endpoint (`DnsEntries`); required when the alias record points at an imported endpoint
   */
  readonly endpointDns?: EndpointDns;

  /**
   * Whether to create the `AWS::ApiGateway::DomainNameAccessAssociation` of `endpoint` with the domain.
   *
   * Set it to false when `endpoint` belongs to another AWS account (an API consumer): API Gateway lets only
   * the endpoint's own account create the association, so the consumer creates it, after the provider
   * shares the domain with it through AWS RAM (an `AWS::RAM::ResourceShare` of `domainNameArn`). The
   * domain's policy still allows the endpoint. The domain then records in its metadata that the endpoint's
   * association is made outside the app, so this library's `PrivateDomainWithoutAccessAssociation` does not
   * report the domain as closed to everyone. With false, `vpc` and `hostedZone` may both be left out: the
   * consumer publishes the name in its own VPC (no zone or record is created here).
   *
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains-provider-share.html
   * @default true
   */
  readonly createAccessAssociation?: boolean;

  /**
   * The VPC whose callers resolve `domainName`; a new private hosted zone named `domainName` is
   * associated with it. Ignored when `hostedZone` is given.
   *
   * @default - none; required unless `hostedZone` is given or `createAccessAssociation` is false
   */
  readonly vpc?: ec2.IVpc;

  /**
   * An existing private hosted zone (associated with the callers' VPC) to put the alias record in. Its
   * name must be `domainName` or a parent domain of it.
   *
   * @default - a new private hosted zone named `domainName`, associated with `vpc`; none when neither is
   *   given (only allowed with `createAccessAssociation: false`)
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The TLS version and cipher suite of the domain.
   *
   * @default SecurityPolicy.TLS_1_2
   */
  readonly securityPolicy?: apigateway.SecurityPolicy;

  /**
   * The endpoint access mode; API Gateway requires one with the enhanced `SecurityPolicy_…` policies.
   *
   * @default - not set (the legacy `TLS_1_2` policy takes none)
   */
  readonly endpointAccessMode?: apigateway.EndpointAccessMode;
}

/**
 * A custom domain name for private REST APIs (`AWS::ApiGateway::DomainNameV2`, endpoint type PRIVATE).
 *
 * A private custom domain starts closed: API Gateway gives it a deny-all policy, and an execute-api
 * endpoint reaches it only with a domain name access association. This construct opens it exactly to the
 * endpoints given (`endpoint`, then `allowEndpoint(...)`): its resource policy allows `execute-api:Invoke`
 * when `aws:SourceVpce` is one of them, and each gets an `AWS::ApiGateway::DomainNameAccessAssociation`.
 * Inside the VPC, an A alias record in a private hosted zone points `domainName` at the endpoint.
 *
 * The private APIs' own resource policies must let the endpoint in too: use `PrivateApiAccess.allow(api)`.
 *
 * Creates: the `DomainNameV2`, a `BasePathMappingV2` per mapped API, a `DomainNameAccessAssociation` per
 * allowed endpoint, a private hosted zone (unless given) and an A alias record.
 *
 * There is no `mtls` prop: `AWS::ApiGateway::DomainNameV2` has no mutual TLS setting (mutual TLS needs a
 * regional custom domain, see `RegionalCustomDomain`).
 */
export class PrivateCustomDomain extends Construct {
  /**
   * The private custom domain name resource.
   */
  public readonly resource: apigateway.CfnDomainNameV2;

  /**
   * The custom domain name, e.g. `internal.example.com`.
   */
  public readonly domainName: string;

  /**
   * The ARN of the private custom domain name (what base path mappings and access associations refer to).
   */
  public readonly domainNameArn: string;

  /**
   * The hosted zone that holds the alias record; undefined when the domain is published in another
   * account's VPC (`createAccessAssociation: false` without `vpc` or `hostedZone`).
   */
  public readonly hostedZone?: route53.IHostedZone;

  /**
   * The Route 53 records that publish the domain inside VPCs: the A alias record to `endpoint` in
   * `hostedZone`, then one A alias record per `addVpc` call, in the order of the calls.
   */
  public get records(): route53.IRecordSet[] {
    return [...this.publishedRecords];
  }

  /**
   * The URL of the domain root, `https://<domainName>/`.
   */
  public readonly url: string;

  private readonly allowedEndpointIds: string[] = [];
  private readonly associations = new Map<string, apigateway.CfnDomainNameAccessAssociation>();
  private readonly publishedRecords: route53.IRecordSet[] = [];
  private readonly basePaths: BasePathRegistry;

  constructor(scope: Construct, id: string, props: PrivateCustomDomainProps) {
    super(scope, id);
    this.basePaths = new BasePathRegistry(this, { allowMultiLevel: true, mapMethods: ['addRestApi'] });

    const createAssociation = props.createAccessAssociation ?? true;
    checkEndpointDns(this, props.endpoint, props.endpointDns);
    if (props.hostedZone) {
      validateDomainInZone(this, props.domainName, props.hostedZone);
      this.hostedZone = props.hostedZone;
    } else if (props.vpc) {
      this.hostedZone = new route53.PrivateHostedZone(this, 'HostedZone', {
        zoneName: props.domainName,
        vpc: props.vpc,
      });
    } else if (createAssociation) {
      fail(this, {
        code: 'VpcOrHostedZoneRequired',
        message: 'neither `vpc` nor `hostedZone` was given, so there is nowhere to publish the domain inside a VPC.',
        fix:
          'Pass `vpc` (a private hosted zone is created and associated with it) or `hostedZone` (an existing private zone); ' +
          "or, when the endpoint is another account's, `createAccessAssociation: false` (that account publishes the name).",
      });
    }
    if (!Token.isUnresolved(props.domainName) && /[A-Z]/.test(props.domainName)) {
      fail(this, {
        code: 'DomainNameHasUppercase',
        message: `domain name '${props.domainName}' has upper-case letters, which API Gateway does not support.`,
        fix: `Use '${props.domainName.toLowerCase()}'.`,
      });
    }

    this.resource = new apigateway.CfnDomainNameV2(this, 'Resource', {
      domainName: props.domainName,
      certificateArn: props.certificate.certificateRef.certificateArn,
      // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html
      // ("Private custom domain names can only have a dualstack IP address type").
      endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'dualstack' },
      securityPolicy: props.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2,
      endpointAccessMode: props.endpointAccessMode,
      policy: Lazy.uncachedAny({ produce: (context: IResolveContext) => this.renderPolicy(context) }),
    });
    this.domainName = props.domainName;
    // Ref of AWS::ApiGateway::DomainNameV2 is its ARN.
    // See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-domainnamev2.html
    this.domainNameArn = this.resource.ref;
    this.url = urlOf(this.domainName);

    if (createAssociation) {
      this.allowEndpoint(props.endpoint);
    } else {
      this.allowedEndpointIds.push(props.endpoint.vpcEndpointId);
      // The association lives in the consumer's account: say so to this library's checks (hints-metadata.ts).
      const hints: HintsMetadata = { externalAccessAssociations: [props.endpoint.vpcEndpointId] };
      this.resource.addMetadata(HINTS_METADATA_KEY, hints);
    }

    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains-tutorial.html
    // ("Create a DNS record"): an alias in a private hosted zone to the endpoint's DNS name.
    if (this.hostedZone) {
      this.publishedRecords.push(
        new route53.ARecord(this, 'AliasRecord', {
          zone: this.hostedZone,
          recordName: props.domainName,
          target: route53.RecordTarget.fromAlias(endpointAliasTarget(this, props.endpoint, props.endpointDns)),
        }),
      );
    }
  }

  /**
   * Lets an execute-api endpoint reach this domain: adds it to the domain's resource policy and creates
   * its domain name access association. Idempotent.
   *
   * @param endpoint the execute-api interface endpoint (in this account)
   * @returns the access association
   */
  public allowEndpoint(endpoint: ec2.IInterfaceVpcEndpoint): apigateway.CfnDomainNameAccessAssociation {
    const key = endpoint.node.path;
    const existing = this.associations.get(key);
    if (existing) {
      return existing;
    }
    this.allowedEndpointIds.push(endpoint.vpcEndpointId);
    const association = new apigateway.CfnDomainNameAccessAssociation(
      this,
      `AccessAssociation${Names.nodeUniqueId(endpoint.node)}`,
      {
        domainNameArn: this.domainNameArn,
        // See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-domainnameaccessassociation.html
        // ("Only VPCE is currently supported").
        accessAssociationSourceType: 'VPCE',
        accessAssociationSource: endpoint.vpcEndpointId,
      },
    );
    this.associations.set(key, association);
    return association;
  }

  /**
   * Publishes the domain inside another VPC, through that VPC's own execute-api endpoint: a new private
   * hosted zone named `domainName` associated with `vpc`, an A alias record to `endpoint` in it, and
   * `allowEndpoint(endpoint)`.
   *
   * The endpoint need not sit in `vpc`: a hub's endpoint (private DNS off) that the VPC reaches serves a
   * spoke VPC with no endpoint of its own (hub and spoke).
   *
   * @param vpc the other VPC, whose callers should resolve `domainName`
   * @param endpoint the execute-api interface endpoint that callers in that VPC go through
   * @param endpointDns the endpoint's DNS name and hosted zone, when it is not defined in this app
   * @returns the alias record (also added to `records`)
   */
  public addVpc(vpc: ec2.IVpc, endpoint: ec2.IInterfaceVpcEndpoint, endpointDns?: EndpointDns): route53.IRecordSet {
    checkEndpointDns(this, endpoint, endpointDns);
    const target = endpointAliasTarget(this, endpoint, endpointDns);
    const suffix = Names.nodeUniqueId(vpc.node);
    const zone = new route53.PrivateHostedZone(this, `HostedZone${suffix}`, { zoneName: this.domainName, vpc });
    this.allowEndpoint(endpoint);
    const record = new route53.ARecord(this, `AliasRecord${suffix}`, {
      zone,
      recordName: this.domainName,
      target: route53.RecordTarget.fromAlias(target),
    });
    this.publishedRecords.push(record);
    return record;
  }

  /**
   * Maps a stage of a private REST API on this domain.
   *
   * @param api a PRIVATE REST API
   * @param options the base path and stage
   * @returns the base path mapping
   */
  public addRestApi(api: apigateway.IRestApi, options: RestApiMappingOptions = {}): apigateway.CfnBasePathMappingV2 {
    requirePrivateApi(this, api, 'a private custom domain');
    const stage = stageOfRestApi(this, api, options.stage);
    const mapping = new apigateway.CfnBasePathMappingV2(this, this.basePaths.claim(options.basePath, api, stage), {
      domainNameArn: this.domainNameArn,
      restApiId: api.restApiId,
      stage: stage.stageName,
      basePath: options.basePath,
    });
    // CloudFormation: "The Stage must depend on the RestApi's stage ... add a DependsOn attribute".
    mapping.node.addDependency(stage);
    return mapping;
  }

  /**
   * The URL that callers in the VPC should use for the API mapped at `basePath`:
   * `https://<domainName>/<basePath>/`. Synthesis fails when no API is mapped at `basePath` by then.
   *
   * @param basePath the base path given to `addRestApi`
   */
  public urlFor(basePath: string): string {
    return this.basePaths.urlFor(this.domainName, basePath);
  }

  private renderPolicy(context: IResolveContext): unknown {
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-custom-domains-tutorial.html
    // (the domain's policy for the execute-api service decides which VPC endpoints can invoke it; its
    // Resource is `execute-api:/*`).
    const statement = new iam.PolicyStatement({
      effect: iam.Effect.ALLOW,
      principals: [new iam.StarPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: ['execute-api:/*'],
      conditions: {
        StringEquals: {
          'aws:SourceVpce':
            this.allowedEndpointIds.length === 1 ? this.allowedEndpointIds[0] : [...this.allowedEndpointIds],
        },
      },
    });
    return { Version: '2012-10-17', Statement: [context.resolve(statement.toStatementJson())] };
  }
}
