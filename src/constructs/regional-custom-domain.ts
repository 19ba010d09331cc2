import {
  Token,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  aws_route53_targets as targets,
} from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { BasePathRegistry } from './base-paths';
import { stageOfRestApi, urlOf, validateDomainInZone } from './common';
import { fail } from './errors';

/**
 * Options for mapping a REST API on a custom domain.
 */
export interface RestApiMappingOptions {
  /**
   * The path after the domain name that selects this API (`payments.example.com/<basePath>/…`).
   *
   * Letters, digits and `$-_.+!*'()`; regional domains also accept several levels separated by `/`
   * (`orders/v1`), edge-optimized ones do not. Unique per domain.
   *
   * @default - the API is mapped to the domain root (`payments.example.com/…`); requests that match no
   * other base path go to it.
   */
  readonly basePath?: string;

  /**
   * The stage that the mapping sends requests to.
   *
   * @default - the API's `deploymentStage`
   */
  readonly stage?: apigateway.IStage;
}

/**
 * Options for mapping an HTTP API on a custom domain.
 */
export interface HttpApiMappingOptions {
  /**
   * The path after the domain name that selects this API (`payments.example.com/<basePath>/…`).
   *
   * Letters, digits and `$-_.+!*'()`, with `/` between levels (`orders/v1`). Unique per domain.
   *
   * @default - the API is mapped to the domain root (`payments.example.com/…`); requests that match no
   * other base path go to it.
   */
  readonly basePath?: string;

  /**
   * The stage that the mapping sends requests to.
   *
   * @default - the API's `defaultStage` (`$default`)
   */
  readonly stage?: apigwv2.IHttpStage;
}

/**
 * Properties of a {@link RegionalCustomDomain}.
 */
export interface RegionalCustomDomainProps {
  /**
   * The custom domain name, e.g. `payments.example.com`. Lower case (API Gateway rejects upper case).
   */
  readonly domainName: string;

  /**
   * The Route 53 hosted zone that gets the A (and AAAA) alias records for `domainName`.
   *
   * Its name must be `domainName` or a parent domain of it. A public zone for callers on the internet and
   * in VPCs alike.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The ACM certificate for `domainName`, in the same region as the domain.
   *
   * @default - a new DNS-validated ACM certificate for `domainName`, validated in `hostedZone`
   */
  readonly certificate?: acm.ICertificateRef;

  /**
   * The TLS version and cipher suite of the domain.
   *
   * HTTP APIs can only be mapped to a domain with `TLS_1_2`, and multi-level base paths need TLS 1.2 or
   * newer; both are checked when the APIs are added.
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
   * Mutual TLS: the S3 trust store that client certificates are checked against.
   *
   * Clients can go around mTLS through each API's default `execute-api` endpoint: set
   * `disableExecuteApiEndpoint: true` on the APIs you map here.
   *
   * @default - no mutual TLS
   */
  readonly mtls?: apigateway.MTLSConfig;

  /**
   * Whether the domain also answers over IPv6.
   *
   * When true, the domain's IP address type is `dualstack` and an AAAA alias record is published next to
   * the A alias record.
   *
   * @default true
   */
  readonly ipv6?: boolean;
}

/**
 * A regional custom domain name for public REST and HTTP APIs, published with Route 53 alias records.
 *
 * This is the fix for callers inside a VPC whose `execute-api` interface endpoint has private DNS on: that
 * VPC resolves every `*.execute-api.<region>.amazonaws.com` name to the endpoint, which only reaches private
 * APIs, so a public API called on its default hostname answers 403. Called on this domain instead
 * (`domain.urlFor('v1')`), Route 53 answers the A/AAAA alias with the API's own addresses, and the VPC's
 * private zone for `execute-api` never sees the name. A CNAME would not do: it sends the resolver on to
 * `d-….execute-api.<region>.amazonaws.com`, right into the private zone. This construct never creates one.
 *
 * Creates: an `AWS::ApiGateway::DomainName` (REGIONAL), an `AWS::ApiGatewayV2::ApiMapping` per mapped API,
 * an A alias record (and an AAAA alias record), and, unless given, an ACM certificate.
 *
 * @example
 * const domain = new RegionalCustomDomain(this, 'ApiDomain', {
 *   domainName: 'payments.example.com',
 *   hostedZone: zone,
 * });
 * domain.addRestApi(paymentsApi, { basePath: 'v1' });
 * domain.addHttpApi(ordersApi, { basePath: 'orders' });
 * fn.addEnvironment('PAYMENTS_URL', domain.urlFor('v1'));
 */
export class RegionalCustomDomain extends Construct {
  /**
   * The API Gateway domain name (REGIONAL).
   */
  public readonly domain: apigateway.IDomainName;

  /**
   * The custom domain name, e.g. `payments.example.com`, as a reference to the domain resource (so a
   * caller whose configuration uses it is deployed after the domain exists).
   */
  public readonly domainName: string;

  /**
   * The certificate the domain presents.
   */
  public readonly certificate: acm.ICertificateRef;

  /**
   * The Route 53 records that publish the domain: the A alias record, then the AAAA alias record when
   * `ipv6` is on. Never a CNAME.
   */
  public get records(): route53.IRecordSet[] {
    return [...this.publishedRecords];
  }

  /**
   * The URL of the domain root, `https://<domainName>/`.
   */
  public readonly url: string;

  private readonly securityPolicy?: apigateway.SecurityPolicy;
  private readonly publishedRecords: route53.IRecordSet[] = [];
  private readonly basePaths: BasePathRegistry;

  constructor(scope: Construct, id: string, props: RegionalCustomDomainProps) {
    super(scope, id);
    this.basePaths = new BasePathRegistry(this, { allowMultiLevel: true, mapMethods: ['addRestApi', 'addHttpApi'] });

    validateDomainInZone(this, props.domainName, props.hostedZone);

    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });

    // TLS 1.2 unless told otherwise, written out rather than left to the service default: HTTP APIs can
    // only be mapped to TLS 1.2 domains, and multi-level base paths need TLS 1.2 or newer.
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    this.securityPolicy = props.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2;

    const domain = new apigateway.DomainName(this, 'Resource', {
      domainName: props.domainName,
      certificate: this.certificate,
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: this.securityPolicy,
      endpointAccessMode: props.endpointAccessMode,
      mtls: props.mtls,
    });
    this.domain = domain;
    this.domainName = domain.domainName;
    this.url = urlOf(this.domainName);

    const ipv6 = props.ipv6 ?? true;
    if (ipv6) {
      // The DomainName L2 has no ipAddressType prop; the L1 does. An AAAA alias only gets answers when the
      // domain is dualstack ("The default IP address type ... for public APIs is IPv4").
      // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html
      const cfn = domain.node.defaultChild;
      if (cfn && apigateway.CfnDomainName.isCfnDomainName(cfn)) {
        cfn.addPropertyOverride('EndpointConfiguration.IpAddressType', 'dualstack');
      }
    }

    // Alias records, never a CNAME: see the class documentation.
    const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain));
    this.publishedRecords.push(
      new route53.ARecord(this, 'AliasRecord', { zone: props.hostedZone, recordName: props.domainName, target }),
    );
    if (ipv6) {
      this.publishedRecords.push(
        new route53.AaaaRecord(this, 'AliasRecordIpv6', {
          zone: props.hostedZone,
          recordName: props.domainName,
          target,
        }),
      );
    }
  }

  /**
   * Maps a stage of a REST API on this domain.
   *
   * Uses an `AWS::ApiGatewayV2::ApiMapping` (not the v1 `BasePathMapping`): API Gateway lets REST and HTTP
   * APIs share a regional domain through the V2 mappings, and only they take multi-level base paths.
   *
   * @param api the REST API
   * @param options the base path and stage
   * @returns the API mapping
   */
  public addRestApi(api: apigateway.IRestApi, options: RestApiMappingOptions = {}): apigwv2.CfnApiMapping {
    const stage = stageOfRestApi(this, api, options.stage);
    return this.addMapping(api, api.restApiId, stage, options.basePath);
  }

  /**
   * Maps a stage of an HTTP API on this domain.
   *
   * @param api the HTTP API
   * @param options the base path and stage
   * @returns the API mapping
   */
  public addHttpApi(api: apigwv2.IHttpApi, options: HttpApiMappingOptions = {}): apigwv2.CfnApiMapping {
    const stage = options.stage ?? api.defaultStage;
    if (!stage) {
      fail(this, {
        code: 'StageRequired',
        message: `HTTP API '${api.node.path}' has no default stage.`,
        fix: 'Pass `stage` in the options, or create the API with `createDefaultStage: true` (its default).',
      });
    }
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
    // ("For the minimum TLS version, only TLS 1.2 is supported") and
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    // ("You can't map an HTTP API to a domain name that uses an enhanced security policy").
    const policy = this.securityPolicy;
    if (policy !== undefined && !Token.isUnresolved(policy) && policy !== apigateway.SecurityPolicy.TLS_1_2) {
      fail(this, {
        code: 'SecurityPolicyRejectsHttpApi',
        message: `HTTP API '${api.node.path}' cannot be mapped on a domain with security policy '${policy}'.`,
        fix: 'Use `securityPolicy: SecurityPolicy.TLS_1_2` (the default), or put the HTTP API on its own domain.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html',
      });
    }
    return this.addMapping(api, api.apiId, stage, options.basePath);
  }

  /**
   * The URL that callers should use for the API mapped at `basePath`: `https://<domainName>/<basePath>/`.
   *
   * Use it instead of the API's own `url`. Synthesis fails when no API is mapped at `basePath` by then.
   *
   * @param basePath the base path given to `addRestApi` / `addHttpApi`
   */
  public urlFor(basePath: string): string {
    return this.basePaths.urlFor(this.domainName, basePath);
  }

  private addMapping(
    api: IConstruct,
    apiId: string,
    stage: IConstruct & { readonly stageName: string },
    basePath: string | undefined,
  ): apigwv2.CfnApiMapping {
    const multiLevel = this.basePaths.validate(basePath);
    const policy = this.securityPolicy;
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
    // ("For a Regional custom domain names with the TLS 1.2 security policy, API Gateway supports multi-level API mappings").
    if (multiLevel && policy === apigateway.SecurityPolicy.TLS_1_0) {
      fail(this, {
        code: 'MultiLevelBasePathNeedsTls12',
        message: `base path '${basePath}' has several levels, which a domain with security policy TLS_1_0 does not support.`,
        fix: 'Use `securityPolicy: SecurityPolicy.TLS_1_2` (the default), or a single-level base path.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
      });
    }

    const mapping = new apigwv2.CfnApiMapping(this, this.basePaths.claim(basePath, api, stage), {
      apiId,
      domainName: this.domainName,
      stage: stage.stageName,
      apiMappingKey: basePath,
    });
    // The stage must exist before the mapping points at it (aws-cdk's ApiMapping does the same).
    mapping.node.addDependency(stage);
    return mapping;
  }
}
