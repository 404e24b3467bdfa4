package dev.webpipe.autoconfigure.openapi;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import org.junit.jupiter.api.Test;

import dev.webpipe.compile.CompiledProgram;
import dev.webpipe.language.Diagnostic;
import dev.webpipe.language.LoadException;
import dev.webpipe.testing.Programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link WebPipeOpenApi} on a document as springdoc may hand it over: bare operations for the router
 * function's routes (HEAD included) are replaced, an application controller's operation stays.
 */
class WebPipeOpenApiTest {

	private final CompiledProgram program = Programs.compile("routes/shop.wp", """
			# An item.
			GET /items/:id
			  |> jq: `{ id: .params.id }`

			GET /files/*rest
			  |> jq: `{ rest: .params.rest }`

			GET /a-b
			  |> jq: `1`

			GET /aB
			  |> jq: `2`

			GET /
			  |> jq: `{ home: true }`
			""");

	@Test
	void bareOperationsOfTheRoutesAreReplacedAndControllerOperationsStay() {
		OpenAPI openApi = new OpenAPI().paths(new Paths()
			.addPathItem("/items/{id}", new PathItem().get(bare()).head(bare())
				.delete(new Operation().operationId("deleteItem")))
			.addPathItem("/files/{*rest}", new PathItem().get(bare()).head(bare())));
		new WebPipeOpenApi(() -> this.program, Programs.registry()).customise(openApi);

		PathItem item = openApi.getPaths().get("/items/{id}");
		assertThat(item.getGet().getOperationId()).isEqualTo("getItemsById");
		assertThat(item.getGet().getSummary()).isEqualTo("An item.");
		assertThat(item.getHead()).isNull();
		assertThat(item.getDelete().getOperationId()).isEqualTo("deleteItem");
		assertThat(openApi.getPaths()).doesNotContainKey("/files/{*rest}");
		assertThat(openApi.getPaths().get("/files/{rest}").readOperations()).hasSize(1);
		assertThat(openApi.getPaths().get("/files/{rest}").getGet().getParameters())
			.extracting((p) -> p.getIn() + " " + p.getName()).containsExactly("path rest");
	}

	@Test
	void operationIdsAreTheMethodAndPathAndClashesAreNumberedInFileOrder() {
		OpenAPI openApi = new OpenAPI();
		new WebPipeOpenApi(() -> this.program, Programs.registry()).customise(openApi);
		assertThat(openApi.getPaths().get("/a-b").getGet().getOperationId()).isEqualTo("getAB");
		assertThat(openApi.getPaths().get("/aB").getGet().getOperationId()).isEqualTo("getAB_2");
		assertThat(openApi.getPaths().get("/").getGet().getOperationId()).isEqualTo("getRoot");
		assertThat(openApi.getTags()).extracting((tag) -> tag.getName()).containsExactly("shop");
	}

	@Test
	void twoFilesOfTheSameNameInDifferentFoldersKeepTheirFolderInTheTag() {
		CompiledProgram twoFiles = dev.webpipe.compile.Compiler.load(
				List.of(new dev.webpipe.language.SourceFile("routes/shop/orders.wp", "GET /shop\n  |> jq: `1`\n"),
						new dev.webpipe.language.SourceFile("routes/admin/orders.wp", "GET /admin\n  |> jq: `1`\n"),
						new dev.webpipe.language.SourceFile("routes/users.wp", "GET /users\n  |> jq: `1`\n")),
				Programs.registry(), dev.webpipe.compile.Compiler.CompilerOptions.defaults());
		OpenAPI openApi = new OpenAPI();
		new WebPipeOpenApi(() -> twoFiles, Programs.registry()).customise(openApi);
		assertThat(openApi.getPaths().get("/shop").getGet().getTags()).containsExactly("routes/shop/orders");
		assertThat(openApi.getPaths().get("/admin").getGet().getTags()).containsExactly("routes/admin/orders");
		assertThat(openApi.getPaths().get("/users").getGet().getTags()).containsExactly("users");
	}

	@Test
	void aWrittenSchemaThatOpenApiCannotTakeIsALoadErrorAtItsPosition() {
		CompiledProgram program = Programs.compile("routes/shop.wp", """
				# @response 200 {"type": "object", "properties": ["id"]}
				GET /items
				  |> jq: `[]`
				""");
		WebPipeOpenApi openApi = new WebPipeOpenApi(() -> program, Programs.registry());
		assertThatExceptionOfType(LoadException.class).isThrownBy(openApi::check)
			.satisfies((ex) -> assertThat(ex.diagnostics()).extracting(Diagnostic::render).containsExactly("""
					routes/shop.wp:1:17: the schema after @response 200 is not a JSON Schema: a keyword has a value of the wrong kind
					# @response 200 {"type": "object", "properties": ["id"]}
					                ^"""));
	}

	private static Operation bare() {
		return new Operation().operationId("route");
	}

}
