import {
  Aws,
  CfnRule,
  Fn,
  Stack,
  Token,
  aws_apigateway as apigateway,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  aws_route53_targets as targets,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BasePathRegistry } from './base-paths';
import { certificateRegion, stageOfRestApi, urlOf, validateDomainInZone } from './common';
import { fail } from './errors';
import type { RestApiMappingOptions } from './regional-custom-domain';

// See: https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html
// "For an edge-optimized custom domain name, the ACM certificate must be in the US East (N. Virginia) Region (us-east-1)".
const EDGE_CERTIFICATE_REGION = 'us-east-1';
const EDGE_DOC =
  'https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html';

/**
 * The kind of Route 53 record that publishes an edge-optimized custom domain.
 */
export enum EdgeRecordType {
  /**
   * An A alias record to the domain's CloudFront distribution. Answered by Route 53 directly, also at a zone apex.
   */
  A_ALIAS = 'A_ALIAS',

  /**
   * A CNAME record to the domain's CloudFront distribution name (`d….cloudfront.net`).
   *
   * Works for edge-optimized domains, whose target is not an `execute-api` name, but cannot sit at a zone apex.
   */
  CNAME = 'CNAME',
}

/**
 * Properties of an {@link EdgeCustomDomain}.
 */
export interface EdgeCustomDomainProps {
  /**
   * The custom domain name, e.g. `api.example.com`. Lower case (API Gateway rejects upper case).
   */
  readonly domainName: string;

  /**
   * The Route 53 hosted zone that gets the record for `domainName`. Its name must be `domainName` or a
   * parent domain of it.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The ACM certificate for `domainName`. Must be in us-east-1, whatever the region of the API.
   *
   * From a stack in another region, create the certificate in a us-east-1 stack and pass it across with
   * `crossRegionReferences: true`, or pass `acm.Certificate.fromCertificateArn(...)` with a us-east-1 ARN.
   * A certificate whose region is known to be another one is an error at synth time.
   *
   * @default - a new DNS-validated ACM certificate for `domainName` (validated in `hostedZone`) when the
   * stack is in us-east-1; in an environment-agnostic stack the same, plus a template rule that stops the
   * deployment in any other region; in a stack of another region, an error asking for a certificate.
   */
  readonly certificate?: acm.ICertificateRef;

  /**
   * The TLS version and cipher suite of the domain.
   *
   * @default SecurityPolicy.TLS_1_2
   */
  readonly securityPolicy?: apigateway.SecurityPolicy;

  /**
   * The endpoint access mode; API Gateway requires one with the enhanced `SecurityPolicy_…` policies.
   *
   * @default - not set (the legacy `TLS_1_0` / `TLS_1_2` policies take none)
   */
  readonly endpointAccessMode?: apigateway.EndpointAccessMode;

  /**
   * The record that publishes the domain.
   *
   * @default EdgeRecordType.A_ALIAS
   */
  readonly recordType?: EdgeRecordType;
}

/**
 * An edge-optimized custom domain name for public REST APIs, published with a Route 53 A alias (or a CNAME).
 *
 * The domain's target is a CloudFront distribution (`d….cloudfront.net`), never an `execute-api` name, so
 * a VPC whose execute-api endpoint has private DNS on reaches it through either record type. The A alias
 * is the default because Route 53 answers it directly and it also works at a zone apex.
 *
 * Creates: an `AWS::ApiGateway::DomainName` (EDGE), an `AWS::ApiGateway::BasePathMapping` per mapped API,
 * an A alias record (or a CNAME record), and, when allowed (see `certificate`), an ACM certificate.
 *
 * There is no `mtls` prop: API Gateway supports mutual TLS on regional custom domains only (use
 * `RegionalCustomDomain`, which also disables the mapped APIs' default endpoints).
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
 */
export class EdgeCustomDomain extends Construct {
  /**
   * The API Gateway domain name (EDGE).
   */
  public readonly domain: apigateway.IDomainName;

  /**
   * The custom domain name, e.g. `api.example.com`.
   */
  public readonly domainName: string;

  /**
   * The certificate the domain presents (in us-east-1).
   */
  public readonly certificate: acm.ICertificateRef;

  /**
   * The Route 53 records that publish the domain: one A alias record, or one CNAME record, per `recordType`.
   */
  public get records(): route53.IRecordSet[] {
    return [...this.publishedRecords];
  }

  /**
   * The URL of the domain root, `https://<domainName>/`.
   */
  public readonly url: string;

  private readonly publishedRecords: route53.IRecordSet[] = [];
  private readonly basePaths: BasePathRegistry;

  constructor(scope: Construct, id: string, props: EdgeCustomDomainProps) {
    super(scope, id);
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html (multi-level
    // mappings are for Regional custom domain names).
    this.basePaths = new BasePathRegistry(this, { allowMultiLevel: false, mapMethods: ['addRestApi'] });

    validateDomainInZone(this, props.domainName, props.hostedZone);
    this.certificate = props.certificate ?? this.defaultCertificate(props);

    const region = certificateRegion(this.certificate);
    if (region !== undefined && region !== EDGE_CERTIFICATE_REGION) {
      fail(this, {
        code: 'EdgeCertificateNotInUsEast1',
        message: `certificate for '${props.domainName}' is in ${region}; edge-optimized domains need a certificate in ${EDGE_CERTIFICATE_REGION}.`,
        fix: 'Create the certificate in a us-east-1 stack (pass it with `crossRegionReferences: true`), or use RegionalCustomDomain with a certificate of the API region.',
        see: EDGE_DOC,
      });
    }

    const domain = new apigateway.DomainName(this, 'Resource', {
      domainName: props.domainName,
      certificate: this.certificate,
      endpointType: apigateway.EndpointType.EDGE,
      securityPolicy: props.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2,
      endpointAccessMode: props.endpointAccessMode,
    });
    this.domain = domain;
    this.domainName = domain.domainName;
    this.url = urlOf(this.domainName);

    const recordType = props.recordType ?? EdgeRecordType.A_ALIAS;
    if (recordType === EdgeRecordType.CNAME) {
      this.publishedRecords.push(
        new route53.CnameRecord(this, 'CnameRecord', {
          zone: props.hostedZone,
          recordName: props.domainName,
          domainName: domain.domainNameAliasDomainName,
        }),
      );
    } else {
      this.publishedRecords.push(
        new route53.ARecord(this, 'AliasRecord', {
          zone: props.hostedZone,
          recordName: props.domainName,
          target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
        }),
      );
    }
  }

  /**
   * Maps a stage of a REST API on this domain (single-level base paths only: edge-optimized domains do not
   * take multi-level ones).
   *
   * @param api the REST API
   * @param options the base path and stage
   * @returns the base path mapping
   */
  public addRestApi(api: apigateway.IRestApi, options: RestApiMappingOptions = {}): apigateway.CfnBasePathMapping {
    const stage = stageOfRestApi(this, api, options.stage);
    const mapping = new apigateway.CfnBasePathMapping(this, this.basePaths.claim(options.basePath, api, stage), {
      domainName: this.domainName,
      restApiId: api.restApiId,
      stage: stage.stageName,
      basePath: options.basePath,
    });
    mapping.node.addDependency(stage);
    return mapping;
  }

  /**
   * The URL that callers should use for the API mapped at `basePath`: `https://<domainName>/<basePath>/`.
   *
   * Synthesis fails when no API is mapped at `basePath` by then.
   *
   * @param basePath the base path given to `addRestApi`
   */
  public urlFor(basePath: string): string {
    return this.basePaths.urlFor(this.domainName, basePath);
  }

  private defaultCertificate(props: EdgeCustomDomainProps): acm.ICertificateRef {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== EDGE_CERTIFICATE_REGION) {
      fail(this, {
        code: 'EdgeCertificateRequired',
        message: `no certificate was given, and a new one would be created in ${region}; edge-optimized domains need a certificate in ${EDGE_CERTIFICATE_REGION}.`,
        fix: 'Create an acm.Certificate in a us-east-1 stack and pass it as `certificate` (with `crossRegionReferences: true` on both stacks), or pass the ARN of an existing us-east-1 certificate.',
        see: EDGE_DOC,
      });
    }
    if (Token.isUnresolved(region)) {
      // Environment-agnostic stack: the region is only known at deployment. Stop a deployment anywhere but
      // us-east-1 before the certificate is requested, instead of letting API Gateway fail later.
      new CfnRule(this, 'CertificateRegionRule', {
        assertions: [
          {
            assert: Fn.conditionEquals(Aws.REGION, EDGE_CERTIFICATE_REGION),
            assertDescription: `${this.node.path} creates the certificate of the edge-optimized domain '${props.domainName}', which must be in ${EDGE_CERTIFICATE_REGION}: deploy this stack to ${EDGE_CERTIFICATE_REGION} or pass a us-east-1 certificate.`,
          },
        ],
      });
    }
    return new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
  }
}
